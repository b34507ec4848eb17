# corpus: NG003
"""The ensemble's member network and a small record of how each round went."""
import torch
from torch import nn


class MemberNet(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(width, width), nn.ReLU(), nn.Linear(width, 1))

    def forward(self, x):
        return self.body(x)


class RoundLog:
    def __init__(self, index):
        self.index = index
        self.steps = 0
