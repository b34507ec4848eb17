# corpus: NG004
"""A network zeroes the columns of its input layer that belong to virtual features, through a
local name for the weight, in the constructor with grad on (the slice write raises). The second
network does it through `.data`."""
import torch
from torch import nn


class FeatureNet(nn.Module):
    def __init__(self, features, virtual, hidden):
        super().__init__()
        self.input = nn.Linear(features + virtual, hidden)
        weights = self.input.weight
        weights[:, features:] = 0.0  # expect: NG004
        self.out = nn.Linear(hidden, 1)

    def forward(self, x):
        return self.out(torch.relu(self.input(x)))


class FeatureNetData(nn.Module):
    def __init__(self, features, virtual, hidden):
        super().__init__()
        self.input = nn.Linear(features + virtual, hidden)
        weights = self.input.weight.data
        weights[:, features:] = 0.0
        self.out = nn.Linear(hidden, 1)

    def forward(self, x):
        return self.out(torch.relu(self.input(x)))
