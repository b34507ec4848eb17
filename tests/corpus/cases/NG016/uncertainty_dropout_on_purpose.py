# corpus: NG016
"""Clean: a Bayesian head samples with dropout in every mode on purpose (`training=True` written
out, Monte Carlo dropout), and a module without dropout at all."""
import torch
import torch.nn.functional as F
from torch import nn


class MCDropoutHead(nn.Module):
    def __init__(self, dim, classes, p=0.3):
        super().__init__()
        self.fc = nn.Linear(dim, classes)
        self.p = p

    def forward(self, x, samples=10):
        outs = [self.fc(F.dropout(x, self.p, training=True)) for _ in range(samples)]
        return torch.stack(outs).mean(0)


class Plain(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.fc = nn.Linear(dim, dim)

    def forward(self, x):
        return F.relu(self.fc(x))
