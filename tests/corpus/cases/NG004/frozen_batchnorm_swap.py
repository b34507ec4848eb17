# corpus: NG004
"""Swap BatchNorm2d for a frozen copy (DETR-style) and for a learnable affine copy."""
import torch
from torch import nn


class FrozenBatchNorm2d(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.register_buffer("weight", torch.ones(n))
        self.register_buffer("bias", torch.zeros(n))
        self.register_buffer("running_mean", torch.zeros(n))
        self.register_buffer("running_var", torch.ones(n))

    def forward(self, x):
        scale = self.weight * (self.running_var + 1e-5).rsqrt()
        shift = self.bias - self.running_mean * scale
        return x * scale[None, :, None, None] + shift[None, :, None, None]


class AffineChannel(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(n))
        self.bias = nn.Parameter(torch.zeros(n))

    def forward(self, x):
        return x * self.weight[None, :, None, None] + self.bias[None, :, None, None]


def replace_batch_norm(model, frozen=True):
    for name, module in model.named_children():
        if isinstance(module, nn.BatchNorm2d):
            if frozen:
                new = FrozenBatchNorm2d(module.num_features)
                new.weight.copy_(module.weight)
                new.bias.copy_(module.bias)
                new.running_mean.copy_(module.running_mean)
            else:
                new = AffineChannel(module.num_features)
                new.weight.copy_(module.weight)  # expect: NG004
            model._modules[name] = new
        else:
            replace_batch_norm(module, frozen)
