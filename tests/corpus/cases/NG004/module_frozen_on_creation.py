# corpus: NG004
"""Folding batch norm into a convolution for inference. The fused layer is frozen as it is built
(`.requires_grad_(False)`, also followed by `.to(...)`, or on its own line), so copying into its
weight outside no_grad raises nothing. The last helper copies into a layer that still requires
grad."""
import torch
from torch import nn


def fold(conv, bn, device):
    fused = nn.Conv2d(conv.in_channels, conv.out_channels, conv.kernel_size, bias=True).requires_grad_(False).to(device)
    scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
    fused.weight.copy_(conv.weight * scale.view(-1, 1, 1, 1))
    fused.bias.copy_(bn.bias - bn.running_mean * scale)
    return fused


def fold_later(weight):
    fused = nn.Conv2d(3, 8, 3)
    fused.requires_grad_(False)
    fused.weight.copy_(weight)
    return fused


def fold_trainable(weight):
    fused = nn.Conv2d(3, 8, 3)
    fused.weight.copy_(weight)  # expect: NG004
    return fused
