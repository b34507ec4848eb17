# corpus: NG012
"""Steps that put a model in eval mode on purpose and then train with it: a discriminator step
that freezes the encoder's dropout and batch norm before its own update, and a test-time
adaptation loop whose loss helper switches the model to eval mode and computes the loss the loop
backpropagates. Each call sets the mode its step wants: nothing is left over from an evaluation.
The last class evaluates after its update: the next iteration trains in eval mode."""
import torch


class Adversarial:
    def discriminator_step(self, xs, xt):
        self.encoder.eval()
        zs, zt = self.encoder(xs), self.encoder(xt)
        loss = self.critic(zs).pow(2).mean() + (self.critic(zt) - 1).pow(2).mean()
        self.critic_opt.zero_grad()
        loss.backward()
        self.critic_opt.step()
        return loss.item()

    def encoder_step(self, xs, ys):
        self.encoder.train()
        loss = torch.nn.functional.cross_entropy(self.head(self.encoder(xs)), ys)
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()

    def fit(self, pairs):
        self.encoder.train()
        for xs, ys, xt in pairs:
            for _ in range(5):
                self.discriminator_step(xs, xt)
            self.encoder_step(xs, ys)


class TestTimeAdapter:
    def adaptation_loss(self, x):
        self.model.eval()
        probs = self.model(x).softmax(-1)
        return -(probs * probs.clamp_min(1e-8).log()).sum(-1).mean()

    def adapt(self, x, delta, steps):
        self.model.train()
        opt = torch.optim.SGD([delta], lr=0.01)
        for _ in range(steps):
            opt.zero_grad()
            loss = self.adaptation_loss(x + delta)
            loss.backward()
            opt.step()
        return (x + delta).detach()


class Finetuner:
    def evaluate(self, x):
        self.model.eval()
        with torch.no_grad():
            return self.model(x).argmax(-1)

    def fit(self, batches, opt):
        self.model.train()
        for x, y in batches:
            loss = torch.nn.functional.cross_entropy(self.model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            self.evaluate(x)  # expect: NG012
