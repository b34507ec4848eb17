# corpus: NG003
"""A trainer that runs one update per optimizer inside each training step (a GAN: the generator's
outputs are handed to the discriminator's update). The list of per-optimizer outputs lives for one
step only: keeping the generator's graph until the discriminator has used it is the point. The
epoch history, though, keeps every step's generator loss with its graph."""
import torch


class MultiOptimizerTrainer:
    def __init__(self, model, optimizers):
        self.model = model
        self.optimizers = optimizers
        self.history = []

    def _update(self, batch, optimizer, idx, previous):
        optimizer.zero_grad()
        outputs = self.model(batch, previous)
        loss = outputs[idx].mean()
        loss.backward(retain_graph=True)
        optimizer.step()
        return outputs, loss

    def train_step(self, batch):
        outputs_per_optimizer = [None] * len(self.optimizers)
        for idx, optimizer in enumerate(self.optimizers):
            previous = outputs_per_optimizer[idx - 1] if idx else None
            outputs, loss = self._update(batch, optimizer, idx, previous)
            outputs_per_optimizer[idx] = outputs
        return outputs_per_optimizer

    def fit(self, loader, generator_optimizer, discriminator_optimizer):
        for batch in loader:
            generator_optimizer.zero_grad()
            fake, generator_loss = self.model.generate_step(batch)
            generator_loss.backward()
            generator_optimizer.step()
            self.history.append(generator_loss)  # expect: NG003
            discriminator_optimizer.zero_grad()
            self.model.discriminate_step(batch, fake.detach()).backward()
            discriminator_optimizer.step()
