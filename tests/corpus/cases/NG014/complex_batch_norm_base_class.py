# corpus: NG014
"""A complex batch norm keeps a running covariance per column. The layer derives from a base class of
the same file that derives from `nn.Module`; its forward blends each column in place
(`self.running_covar[:, 0] = f * new + (1 - f) * self.running_covar[:, 0]`) from the batch
statistics with their history. The 2-D variant does it under no_grad."""
import torch
from torch import nn


class _ComplexNorm(nn.Module):
    def __init__(self, features, momentum=0.1):
        super().__init__()
        self.momentum = momentum
        self.register_buffer("running_covar", torch.zeros(features, 2))


class ComplexNorm1d(_ComplexNorm):
    def forward(self, real, imag):
        if self.training:
            crr = real.var(dim=0)
            cii = imag.var(dim=0)
            self.running_covar[:, 0] = self.momentum * crr + (1 - self.momentum) * self.running_covar[:, 0]  # expect: NG014
            self.running_covar[:, 1] = self.momentum * cii + (1 - self.momentum) * self.running_covar[:, 1]  # expect: NG014
        else:
            crr, cii = self.running_covar[:, 0], self.running_covar[:, 1]
        return real / (crr + 1e-5).sqrt(), imag / (cii + 1e-5).sqrt()


class ComplexNorm2d(_ComplexNorm):
    def forward(self, real, imag):
        crr = real.var(dim=(0, 2, 3))
        with torch.no_grad():
            self.running_covar[:, 0] = self.momentum * crr + (1 - self.momentum) * self.running_covar[:, 0]
        return real / (crr[None, :, None, None] + 1e-5).sqrt(), imag
