# corpus: NG001
"""A block takes the class of its convolution as an argument (`conv_class=Conv`) and builds one
per scale in `__init__` with a comprehension: a construction, not a forward pass. Its `summary`
method runs the built layers over a list of probes and keeps only their norms: evaluation."""
import torch
from torch import nn


class Conv(nn.Module):
    def __init__(self, width, scale=None):
        super().__init__()
        self.lin = nn.Linear(width, width)
        self.scale = scale or 1.0

    def forward(self, x):
        return self.lin(x) * self.scale


class Block(nn.Module):
    def __init__(self, width, scales, conv_module=Conv):
        super().__init__()
        self.convs = nn.ModuleList([conv_module(width, scale=scales[i]) for i in range(len(scales))])

    def forward(self, x):
        for conv in self.convs:
            x = conv(x)
        return x

    def summary(self, probes):
        norms = []
        first = self.convs[0]
        for probe in probes:  # expect: NG001
            norms.append(float(first(probe).norm()))
        return norms

    def fit_step(self, x, optimizer):
        loss = self(x).pow(2).mean()
        loss.backward()
        optimizer.step()
