# corpus: NG014
"""A batch-norm subclass re-implements the running estimates by hand (to log them), with grad on:
its parent module type is torch's, so the class is a module."""
import torch
from torch import nn


class LoggedBatchNorm1d(nn.BatchNorm1d):
    def forward(self, x):
        if self.training:
            batch_mean = x.mean(0)
            self.running_mean = self.running_mean * (1 - self.momentum) + self.momentum * batch_mean  # expect: NG014
            print(float(self.running_mean.norm()))
        return super().forward(x)
