# corpus: NG007
"""Batch Renormalization: r and d are treated as constants (stop-gradient, as in the paper); x, gamma and beta still learn (correct)."""
import torch
from torch import nn


class BatchRenorm2d(nn.Module):
    def __init__(self, channels, eps=1e-5, momentum=0.01, r_max=3.0, d_max=5.0):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(1, channels, 1, 1))
        self.beta = nn.Parameter(torch.zeros(1, channels, 1, 1))
        self.register_buffer("running_mean", torch.zeros(1, channels, 1, 1))
        self.register_buffer("running_std", torch.ones(1, channels, 1, 1))
        self.eps, self.momentum, self.r_max, self.d_max = eps, momentum, r_max, d_max

    def forward(self, x):
        if self.training:
            mean = x.mean(dim=(0, 2, 3), keepdim=True)
            std = (x.var(dim=(0, 2, 3), keepdim=True, unbiased=False) + self.eps).sqrt()
            r = torch.clamp(std / self.running_std, 1.0 / self.r_max, self.r_max).data
            d = torch.clamp(
                (mean - self.running_mean) / self.running_std, -self.d_max, self.d_max
            ).data
            x = (x - mean) / std * r + d
            with torch.no_grad():
                self.running_mean += self.momentum * (mean - self.running_mean)
                self.running_std += self.momentum * (std - self.running_std)
        else:
            x = (x - self.running_mean) / self.running_std
        return self.gamma * x + self.beta
