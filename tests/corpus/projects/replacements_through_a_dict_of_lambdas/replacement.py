# corpus: NG004
# Pruning speed-up: each module type maps to a lambda that builds a smaller module and copies the
# kept weights into it in place. The lambdas run when the replacer calls them, under no_grad
# (replacer.py); where the dict is written says nothing about the grad mode.
import torch
from torch import nn


def shrink_conv(conv, keep):
    smaller = nn.Conv2d(conv.in_channels, len(keep), conv.kernel_size)
    smaller.weight.copy_(conv.weight[keep])
    if conv.bias is not None:
        smaller.bias.copy_(conv.bias[keep])
    return smaller


def shrink_linear(linear, keep):
    smaller = nn.Linear(linear.in_features, len(keep))
    smaller.weight.copy_(linear.weight[keep])
    return smaller


SHRINKERS = {
    "Conv2d": lambda module, keep: shrink_conv(module, keep),
    "Linear": lambda module, keep: shrink_linear(module, keep),
}


def shrink_in_place_now(linear, keep):
    smaller = nn.Linear(linear.in_features, len(keep))
    smaller.weight.copy_(linear.weight[keep])  # expect: NG004
    return smaller
