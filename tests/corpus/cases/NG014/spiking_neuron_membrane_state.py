# corpus: NG014
"""Spiking neurons keep their membrane potential on the module across the time steps of one
sequence: the forward computes the spikes it returns from the updated potential, and `reset`
starts it afresh for each sequence, so backpropagation through time needs the potential's graph.
The firing-rate monitor beside them is a running statistic nothing reads back in the forward: its
average chains every batch's graph."""
import torch
from torch import nn


def spike(x, beta=5.0):
    return torch.sigmoid(beta * x)


class LIF(nn.Module):
    def __init__(self, threshold=1.0, decay=0.9):
        super().__init__()
        self.threshold = threshold
        self.decay = decay

    def reset(self, x):
        self.v = torch.zeros_like(x)
        self.s = torch.zeros_like(x)

    def forward(self, x, first=False):
        if first:
            self.reset(x)
        self.v = self.decay * (1 - self.s) * self.v + x
        self.s = spike(self.v - self.threshold)
        return self.s


class RateMonitor(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.register_buffer("rate", torch.zeros(n))

    def forward(self, spikes):
        self.rate = 0.99 * self.rate + 0.01 * spikes.mean(0)  # expect: NG014
        return spikes
