# corpus: NG010
"""A random-projection augmentation whose weight was meant to stay fixed."""
import torch
from torch import nn


class RandomProjection(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(dim, dim, requires_grad=False))  # expect: NG010
        self.scale = nn.Parameter(torch.ones(1), requires_grad=False)

    def forward(self, x):
        return self.scale * (x @ self.weight)
