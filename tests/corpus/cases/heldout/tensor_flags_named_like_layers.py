# corpus: NG010
"""Tensors named like layers (norm, embedding, proj) get requires_grad set directly: that works (correct)."""
import torch
from torch import nn


def normalize_transform(shape, zero_centered=False, dtype=torch.float32):
    norm = torch.tensor(shape, dtype=torch.float64)
    norm[norm <= 1.0] = 2.0
    norm = 2.0 / (norm if zero_centered else norm - 1.0)
    norm = torch.diag(torch.cat((norm, torch.ones(1, dtype=torch.float64))))
    norm = norm.unsqueeze(0).to(dtype=dtype)
    norm.requires_grad = False
    return norm


def sinusoidal_table(n_pos, dim):
    position = torch.arange(n_pos).unsqueeze(1)
    div = torch.exp(torch.arange(0, dim, 2) * (-torch.log(torch.tensor(10000.0)) / dim))
    embedding = torch.zeros(n_pos, dim)
    embedding[:, 0::2] = torch.sin(position * div)
    embedding[:, 1::2] = torch.cos(position * div)
    embedding.requires_grad = False
    return embedding


class LearnedQuery(nn.Module):
    def __init__(self, n, dim, trainable=True):
        super().__init__()
        proj = torch.randn(n, dim) / dim ** 0.5
        proj.requires_grad = trainable
        self.proj = nn.Parameter(proj, requires_grad=trainable)
        self.layer = nn.Linear(dim, dim)

    def forward(self, x):
        return self.layer(x) @ self.proj.t()
