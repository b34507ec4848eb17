# corpus: NG004
"""Pretrained vectors copied into an embedding in the constructor. Freezing is optional: when it
is off the weight still requires grad, and the in-place copy raises. The second class switches
requires_grad off unconditionally around its copy."""
import torch
from torch import nn


class PairScorer(nn.Module):
    def __init__(self, vocab, dim, vectors, freeze):
        super().__init__()
        self.table = nn.Embedding(vocab, dim)
        if freeze:
            self.table.weight.requires_grad = False
        self.table.weight.copy_(vectors)  # expect: NG004
        self.out = nn.Linear(dim, 1)

    def forward(self, left, right):
        return self.out(self.table(left) * self.table(right))


class FixedScorer(nn.Module):
    def __init__(self, vocab, dim, vectors):
        super().__init__()
        self.table = nn.Embedding(vocab, dim)
        self.table.weight.requires_grad = False
        self.table.weight.copy_(vectors)
        self.out = nn.Linear(dim, 1)

    def forward(self, left, right):
        return self.out(self.table(left) * self.table(right))
