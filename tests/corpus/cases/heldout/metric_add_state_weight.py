# corpus: NG004
"""A metric framework registers its states through add_state(); a state named `weight` is a plain tensor (correct)."""
import torch
from torch import Tensor, nn


class Metric(nn.Module):
    def __init__(self):
        super().__init__()
        self._defaults = {}

    def add_state(self, name, default, dist_reduce_fx="sum"):
        setattr(self, name, default.clone())
        self._defaults[name] = default.clone()

    def reset(self):
        for name, default in self._defaults.items():
            setattr(self, name, default.clone())


class MeanMetric(Metric):
    mean_value: Tensor
    weight: Tensor

    def __init__(self):
        super().__init__()
        self.add_state("mean_value", default=torch.tensor(0.0))
        self.add_state("weight", default=torch.tensor(0.0))

    def update(self, value, weight=None):
        value = torch.as_tensor(value, dtype=torch.float32)
        weight = torch.ones_like(value) if weight is None else torch.broadcast_to(torch.as_tensor(weight), value.shape)
        if value.numel() == 0:
            return
        self.mean_value += (value * weight).sum()
        self.weight += weight.sum()

    def compute(self):
        return self.mean_value / self.weight


class WeightedHistogram(Metric):
    def __init__(self, bins=10):
        super().__init__()
        self.add_state("bias", default=torch.zeros(bins))
        self.bins = bins

    def update(self, x):
        idx = x.clamp(0, 1).mul(self.bins - 1).long()
        self.bias.index_add_(0, idx, torch.ones_like(x))
