# corpus: NG001
"""Prompt generators sample points from masks with NumPy; an encoder is a network."""
import numpy as np
import torch.nn as nn


class PointPromptGenerator:
    def __init__(self, n_points):
        self.n_points = n_points

    def __call__(self, mask):
        return np.argwhere(mask)[: self.n_points]


class MaskEncoder(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.proj = nn.Linear(width, width)

    def forward(self, x):
        return self.proj(x)
