# corpus: NG014
"""A routing layer sums a balancing loss over the step for the trainer's backward, which resets
it: kept on purpose, and no running average."""
from torch import nn


class AuxLossCollector(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.proj = nn.Linear(dim, dim)
        self.aux = 0.0

    def forward(self, x):
        out = self.proj(x)
        self.aux = self.aux + out.pow(2).mean()
        return out
