# corpus: NG007
"""A test double of a quantized convolution stores its weight as a plain float8 tensor built in
`__init__` (no parameter: nothing trains it), and reads it through `.data` in `forward`: that cuts
nothing. A module whose weight is a parameter and reaches the output only through `.data` gets no
gradient."""
import torch
from torch import nn
import torch.nn.functional as F


class Float8ConvDouble(nn.Module):
    def __init__(self, cin, cout, k):
        super().__init__()
        self.weight = torch.randn(cout, cin, k, k).to(torch.float8_e4m3fn)
        self.scale = 2.0

    def forward(self, x):
        weight = self.weight.data.to(torch.float32) * self.scale
        return F.conv2d(x, weight)


class ScaledLinear(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(n_out, n_in))

    def forward(self, x):
        return F.linear(x, self.weight.data) * 0.5  # expect: NG007
