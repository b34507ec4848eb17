# corpus: NG007
"""A renorm-style layer whose detached correction factor also holds the learned scale: the scale never learns."""
import torch
from torch import nn


class ScaledRenorm1d(nn.Module):
    def __init__(self, features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.log_scale = nn.Parameter(torch.zeros(features))
        self.shift = nn.Parameter(torch.zeros(features))
        self.register_buffer("running_std", torch.ones(features))
        self.eps, self.momentum = eps, momentum

    def forward(self, x):
        mean = x.mean(0)
        std = (x.var(0, unbiased=False) + self.eps).sqrt()
        # meant as a constant correction like batch renorm's r, but exp(log_scale) is inside it
        r = (std / self.running_std * self.log_scale.exp()).data  # expect: NG007
        if self.training:
            with torch.no_grad():
                self.running_std.lerp_(std, self.momentum)
        return (x - mean) / std * r + self.shift
