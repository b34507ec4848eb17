# corpus: NG004
"""A temporal convolution block wraps its convolutions in weight normalisation and then sets the
first input channel's taps in place. After `weight_norm` the module's `weight` is a tensor computed
from the new parameters `weight_g` and `weight_v`, no leaf parameter: the in-place update raises
nothing (it is lost at the next forward, a different matter). The plain convolution beside it still
holds its `weight` as a parameter, and the same update on it raises outside `no_grad`."""
import torch
import torch.nn as nn
from torch.nn.utils import parametrizations, weight_norm


class TemporalBlock(nn.Module):
    def __init__(self, channels, kernel_size, dilation):
        super().__init__()
        padding = (kernel_size - 1) * dilation
        self.conv_a = weight_norm(nn.Conv1d(channels, channels, kernel_size, padding=padding, dilation=dilation))
        self.conv_b = parametrizations.weight_norm(nn.Conv1d(channels, channels, kernel_size, padding=padding))
        self.skip = nn.Conv1d(channels, channels, 1)
        self.init_weights()

    def init_weights(self):
        self.conv_a.weight[:, 0, :] += 1.0 / 3
        self.conv_b.weight[:, 0, :] += 1.0 / 3
        self.skip.weight[:, 0, :] += 1.0  # expect: NG004

    def forward(self, x):
        return torch.relu(self.conv_b(torch.relu(self.conv_a(x)))[..., : x.shape[-1]] + self.skip(x))


def spectral_head(features):
    head = nn.utils.spectral_norm(nn.Linear(features, 1), name="bias")
    head.weight.mul_(0.5)  # expect: NG004
    norm = nn.utils.spectral_norm(nn.Linear(features, 1))
    norm.weight.mul_(0.5)
    return head, norm
