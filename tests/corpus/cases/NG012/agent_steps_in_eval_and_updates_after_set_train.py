# corpus: NG012
"""An off-policy agent acts in eval mode at the top of every environment step and, unless it is
still exploring at random, puts the model back in train mode right before its gradient updates; a
trainer subclass whose epoch hook calls its base's, which switches to train mode, before training.
Neither trains in eval mode."""
import torch


class Agent:
    def __init__(self, model, optimizer):
        self.model = model
        self.optimizer = optimizer

    def set_eval(self):
        self.model.eval()

    def set_train(self):
        self.model.train()

    def update(self, batch):
        loss = self.model(batch).pow(2).mean()
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()

    def play(self, env, buffer, steps, random_exploration=False, updates=2):
        obs = env.reset()
        for _ in range(steps):
            self.set_eval()
            with torch.no_grad():
                action = self.model(obs).argmax(-1)
            obs = env.step(action)
            buffer.append(obs)
            if not random_exploration:
                self.set_train()
                for _ in range(updates):
                    self.update(torch.stack(buffer[-8:]))


class Trainer:
    def __init__(self, model, optimizer):
        self.model = model
        self.optimizer = optimizer

    def epoch_start(self):
        self.model.train()

    def train_epoch(self, loader):
        self.epoch_start()
        for x in loader:
            loss = self.model(x).mean()
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()

    @torch.no_grad()
    def eval_epoch(self, loader):
        self.model.eval()
        return sum(self.model(x).mean().item() for x in loader)

    def fit(self, loader, val_loader, epochs):
        for _ in range(epochs):
            self.train_epoch(loader)
            self.eval_epoch(val_loader)


class LoggingTrainer(Trainer):
    def epoch_start(self):
        super().epoch_start()
        print("epoch")
