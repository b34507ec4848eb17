# corpus: NG004
"""In-place updates of buffers and metric states (a state named `weight` included): none is a parameter (correct)."""
import torch
from torch import nn


class WeightedMean(nn.Module):
    """A streaming weighted mean, kept as two buffers."""

    def __init__(self):
        super().__init__()
        self.register_buffer("total", torch.tensor(0.0))
        self.register_buffer("weight", torch.tensor(0.0))

    def update(self, value, weight=None):
        value = torch.as_tensor(value, dtype=torch.float32)
        weight = torch.ones_like(value) if weight is None else torch.as_tensor(weight, dtype=torch.float32)
        self.total += (value * weight).sum()
        self.weight += weight.sum()

    def compute(self):
        return self.total / self.weight


class RunningNorm(nn.Module):
    """Batch-norm-like layer with its own running statistics."""

    def __init__(self, dim, momentum=0.1, eps=1e-5):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.bias = nn.Parameter(torch.zeros(dim))
        self.register_buffer("running_mean", torch.zeros(dim))
        self.register_buffer("running_var", torch.ones(dim))
        self.momentum, self.eps = momentum, eps

    def forward(self, x):
        if self.training:
            mean, var = x.mean(0), x.var(0, unbiased=False)
            self.running_mean.mul_(1 - self.momentum).add_(mean.detach(), alpha=self.momentum)
            self.running_var.mul_(1 - self.momentum).add_(var.detach(), alpha=self.momentum)
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / (var + self.eps).sqrt() * self.weight + self.bias


class ClassBalancedLoss(nn.Module):
    def __init__(self, counts, beta=0.999):
        super().__init__()
        weight = (1 - beta) / (1 - beta ** torch.as_tensor(counts, dtype=torch.float32))
        weight /= weight.sum()
        weight *= len(counts)
        self.register_buffer("weight", weight)

    def forward(self, logits, target):
        return nn.functional.cross_entropy(logits, target, weight=self.weight)


def train(model, metric, loader, optimizer):
    for x, y in loader:
        loss = nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        metric.update(loss.item())
    return metric.compute().item()
