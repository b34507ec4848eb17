# corpus: NG014
"""A standing-statistics batch norm writes its running mean into the buffer in place
(`self.stored_mean[:] = ...`) from the batch mean with its history: the buffer becomes the output
of a copy into it, so each step's graph is chained to the next. The variance is updated from
detached values."""
import torch
from torch import nn


class StandingBatchNorm(nn.Module):
    def __init__(self, channels, momentum=0.1):
        super().__init__()
        self.momentum = momentum
        self.register_buffer("stored_mean", torch.zeros(channels))
        self.register_buffer("stored_var", torch.ones(channels))

    def forward(self, x):
        if self.training:
            mean = x.mean(dim=(0, 2, 3))
            var = x.var(dim=(0, 2, 3))
            self.stored_mean[:] = self.stored_mean * (1 - self.momentum) + mean * self.momentum  # expect: NG014
            self.stored_var[:] = self.stored_var * (1 - self.momentum) + var.detach() * self.momentum
        else:
            mean, var = self.stored_mean, self.stored_var
        return (x - mean[None, :, None, None]) / (var[None, :, None, None] + 1e-5).sqrt()
