# corpus: NG007, NG004
"""A contrastive projection head whose output is returned through .data."""
import torch
from torch import nn
import torch.nn.functional as F


class ProjectionHead(nn.Module):
    def __init__(self, in_dim=2048, hidden=2048, out_dim=128):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(in_dim, hidden), nn.BatchNorm1d(hidden), nn.ReLU(), nn.Linear(hidden, out_dim))

    def forward(self, x):
        z = self.net(x)
        z = F.normalize(z, dim=-1)
        return z.data  # expect: NG007
