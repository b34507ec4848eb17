# corpus: NG017
"""The project's models: both read the mode (batch norm, dropout)."""
import torch
from torch import nn


class WideAndDeep(nn.Module):
    def __init__(self, fields, dim=16):
        super().__init__()
        self.embed = nn.Embedding(fields, dim)
        self.mlp = nn.Sequential(nn.Linear(dim, dim), nn.BatchNorm1d(dim), nn.ReLU(), nn.Dropout(0.2))
        self.out = nn.Linear(dim, 1)

    def forward(self, x):
        return torch.sigmoid(self.out(self.mlp(self.embed(x).mean(1)))).squeeze(1)


class FactorizationMachine(nn.Module):
    def __init__(self, fields, dim=16):
        super().__init__()
        self.embed = nn.Embedding(fields, dim)
        self.drop = nn.Dropout(0.1)

    def forward(self, x):
        e = self.drop(self.embed(x))
        return torch.sigmoid(0.5 * (e.sum(1).pow(2) - e.pow(2).sum(1)).sum(1))
