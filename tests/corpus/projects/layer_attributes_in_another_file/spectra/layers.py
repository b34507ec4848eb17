# corpus: NG004
"""Layers whose `weight` is not always a parameter: one keeps a list of per-mode kernels as a
module list, one keeps a fixed window as a buffer, and one has a real parameter."""
import torch
from torch import nn


class ModeKernel(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.kernel = nn.Parameter(torch.randn(width, width))

    def forward(self, x):
        return x @ self.kernel


class ModalConv(nn.Module):
    def __init__(self, width, modes):
        super().__init__()
        self.weight = nn.ModuleList([ModeKernel(width) for _ in range(modes)])
        self.register_buffer("bias", torch.zeros(width))

    def forward(self, x):
        return sum(k(x) for k in self.weight) + self.bias


class WindowedConv(ModalConv):
    """Inherits the module list and the buffer."""


class ScaledConv(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(width))

    def forward(self, x):
        return x * self.weight
