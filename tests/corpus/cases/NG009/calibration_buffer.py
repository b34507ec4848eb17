# corpus: NG009
"""Activation calibration for quantisation-aware training; the scale is registered as a buffer."""
import torch
from torch import nn


class ActScale(nn.Module):
    def __init__(self, percentile=99.9):
        super().__init__()
        self.percentile = percentile

    @torch.inference_mode()
    def calibrate(self, activations):
        flat = activations.abs().flatten()
        value = torch.quantile(flat.float(), self.percentile / 100.0)
        self.register_buffer("scale", value / 127.0)  # expect: NG009

    def forward(self, x):
        q = torch.clamp(torch.round(x / self.scale), -128, 127)
        return (q - x / self.scale).detach() * self.scale + x
