# corpus: NG010
"""An adapter wrapper that means to freeze itself in __init__ and misspells the tensor attribute."""
import torch
from torch import nn


class FrozenAdapter(nn.Module):
    def __init__(self, dim, bottleneck=64):
        super().__init__()
        self.down = nn.Linear(dim, bottleneck)
        self.up = nn.Linear(bottleneck, dim)
        self.requires_grad = False  # expect: NG010
        self.gate = nn.Parameter(torch.zeros(1))
        self.gate.requires_grads = False  # expect: NG010

    def forward(self, x):
        return x + self.gate * self.up(torch.relu(self.down(x)))
