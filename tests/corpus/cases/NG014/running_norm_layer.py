# corpus: NG014
"""A hand-written normalisation layer keeps running estimates for evaluation and blends them with
grad on inside forward: every training step's graph stays chained to the buffers."""
import torch
from torch import nn


class LayerStats(nn.Module):
    def __init__(self, width, momentum=0.1):
        super().__init__()
        self.momentum = momentum
        self.register_buffer("avg", torch.zeros(width))
        self.register_buffer("spread", torch.ones(width))

    def forward(self, x):
        if self.training:
            mu = x.mean(0)
            sigma = x.var(0, unbiased=False)
            self.avg = (1 - self.momentum) * self.avg + self.momentum * mu  # expect: NG014
            self.spread = self.spread * (1 - self.momentum) + sigma * self.momentum  # expect: NG014
        else:
            mu, sigma = self.avg, self.spread
        return (x - mu) / torch.sqrt(sigma + 1e-5)
