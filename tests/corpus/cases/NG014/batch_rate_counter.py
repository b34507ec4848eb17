# corpus: NG014
"""A module tracks a running batch size as a Python number, and a plain (non-module) meter keeps
a running loss average from a method named forward."""
from torch import nn


class StepCounter(nn.Module):
    def __init__(self):
        super().__init__()
        self.rate = 0.0

    def forward(self, x):
        self.rate = 0.9 * self.rate + 0.1 * float(x.shape[0])
        return x


class LossMeter:
    def __init__(self):
        self.avg = 0.0

    def forward(self, loss):
        self.avg = 0.98 * self.avg + 0.02 * loss
