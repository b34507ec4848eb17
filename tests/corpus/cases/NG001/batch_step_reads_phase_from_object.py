# corpus: NG001
"""A fitting class shares one per-batch step between training and evaluation; the step reads the
phase from the object (`self.run.phase`) and leaves before the backward pass unless it trains.
The evaluation methods set the phase first (directly, or by building the run record with it), so
their loops run the network with gradients on for nothing. The training loop sets "train"."""
import torch
from torch import nn


class Run:
    def __init__(self, **fields):
        self.__dict__.update(fields)


class Fitter:
    def __init__(self, net: nn.Module):
        self.net = net
        self.opt = torch.optim.Adam(net.parameters())
        self.run = Run(phase="train")

    def _step(self, x, y):
        self.run.out = self.net(x)
        self.run.loss = nn.functional.mse_loss(self.run.out, y)
        if self.run.phase != "train":
            return
        self.opt.zero_grad()
        self.run.loss.backward()
        self.opt.step()

    def fit(self, batches, val_batches):
        self.net.train()
        self.run.phase = "train"
        for batch in batches:
            self._step(*batch)
        self.net.eval()
        self.run.phase = "valid"
        total = 0.0
        for batch in val_batches:
            self._step(*batch)  # expect: NG001
            total += self.run.loss.item()
        return total

    def score(self, batches):
        self.run = Run(phase="test")
        self.net.eval()
        return [self._step(x, y) or self.run.loss.item() for x, y in batches]  # expect: NG001
