# corpus: NG001
"""Eval mode set through small helpers instead of a direct `.eval()`: a trainer's `to_eval()`
method switches its networks, and a module-level `freeze_bn(net)` switches whatever it is given.
The loops after them evaluate with gradients on. A helper that switches back to train mode
before a training loop leaves that loop alone."""
import torch


class Trainer:
    def __init__(self, generator, critic, optimizer):
        self.generator, self.critic, self.optimizer = generator, critic, optimizer

    def to_eval(self):
        self.generator.eval()
        self.critic.eval()

    def to_train(self):
        self.generator.train()
        self.critic.train()

    def end_of_epoch(self, loader):
        self.to_eval()
        scores = []
        for noise in loader:  # expect: NG001
            scores.append(self.critic(self.generator(noise)))
        self.to_train()
        return torch.cat(scores)

    def epoch(self, loader):
        self.to_eval()
        self.to_train()
        for noise in loader:
            loss = -self.critic(self.generator(noise)).mean()
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()


def freeze_bn(net):
    net.eval()


def features(backbone, images):
    freeze_bn(backbone)
    return [backbone(batch) for batch in images]  # expect: NG001
