# corpus: NG014
"""A hand-written batch norm: in training it takes the first batch's statistics, then blends each
batch's into its running ones from tensors with history, and normalises with the batch's; in
evaluation it normalises with the running ones. The running statistics are read only on the other
side of `if self.training:`: every training call chains its graph to them."""
import torch
from torch import nn


class Norm(nn.Module):
    def __init__(self, n, momentum=0.1, eps=1e-5):
        super().__init__()
        self.momentum = momentum
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(n))
        self.running_mean = torch.zeros(n)
        self.running_var = torch.ones(n)
        self.seen = 0

    def forward(self, x):
        if self.training:
            mean, var = x.mean(0), x.var(0)
            if self.seen == 0:
                self.running_mean = mean
                self.running_var = var
            else:
                self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean  # expect: NG014
                self.running_var = (1 - self.momentum) * self.running_var + self.momentum * var  # expect: NG014
            self.seen += 1
        else:
            mean, var = self.running_mean, self.running_var
        return self.weight * (x - mean) / torch.sqrt(var + self.eps)
