# corpus: NG016
"""A dropout with a mask fixed across time steps, and a projection that computes the same in both
modes."""
import torch
import torch.nn as nn


class SharedMaskDropout(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.p = p

    def forward(self, x):
        if not self.training or self.p == 0:
            return x
        mask = torch.bernoulli(x.new_full((x.size(0), x.size(-1)), 1 - self.p)) / (1 - self.p)
        return x * mask.unsqueeze(1)


class Project(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.weight = nn.Parameter(torch.eye(width))

    def forward(self, x):
        return x @ self.weight
