# corpus: NG014
"""The same normalisation layer, updating its running estimate under no_grad."""
import torch
from torch import nn


class LayerStatsFixed(nn.Module):
    def __init__(self, width, momentum=0.1):
        super().__init__()
        self.momentum = momentum
        self.register_buffer("avg", torch.zeros(width))

    def forward(self, x):
        mu = x.mean(0)
        if self.training:
            with torch.no_grad():
                self.avg = (1 - self.momentum) * self.avg + self.momentum * mu
        return x - mu
