# corpus: NG010
"""A layer with fixed random binary filters: the filter is frozen, then replaced by a new
Parameter built from the sampled weights, which requires grad again. The second layer passes
`requires_grad=False` to the new Parameter, and the third freezes after replacing."""
import torch
from torch import nn


class FixedFilters(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, bias=False)
        self.conv.weight.requires_grad = False  # expect: NG010
        sampled = torch.bernoulli(torch.full_like(self.conv.weight, 0.5)) * 2 - 1
        self.conv.weight = nn.Parameter(sampled)

    def forward(self, x):
        return self.conv(x)


class FixedFiltersKept(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, bias=False)
        self.conv.weight.requires_grad = False
        sampled = torch.bernoulli(torch.full_like(self.conv.weight, 0.5)) * 2 - 1
        self.conv.weight = nn.Parameter(sampled, requires_grad=False)


class FixedFiltersAfter(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, bias=False)
        sampled = torch.bernoulli(torch.full_like(self.conv.weight, 0.5)) * 2 - 1
        self.conv.weight = nn.Parameter(sampled)
        self.conv.weight.requires_grad = False
