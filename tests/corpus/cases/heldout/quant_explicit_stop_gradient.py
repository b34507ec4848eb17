# corpus: NG007
"""Integer-only LayerNorm (quantization-aware): the bias path is cut on purpose with `.data.detach()` (correct)."""
import torch
from torch import nn


class FloorSTE(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return torch.floor(x)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.clone()


class IntLayerNorm(nn.Module):
    def __init__(self, normalized_shape, eps=1e-5, output_bit=8):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(normalized_shape))
        self.bias = nn.Parameter(torch.zeros(normalized_shape))
        self.eps = eps
        self.output_bit = output_bit
        self.dim_sqrt = float(normalized_shape) ** 0.5

    def forward(self, x, scaling_factor):
        x_int = x / scaling_factor
        mean_int = torch.round(x_int.mean(dim=-1, keepdim=True))
        y_int = x_int - mean_int
        var_int = (y_int ** 2).sum(dim=-1, keepdim=True)
        std_int = FloorSTE.apply(torch.sqrt(var_int + self.eps))
        factor = FloorSTE.apply(2 ** 31 / std_int)
        y_int = FloorSTE.apply(y_int * factor / 2)
        scaling_factor = self.dim_sqrt / 2 ** 30
        bias = self.bias.data.detach() / self.weight.data.detach()
        bias_int = FloorSTE.apply(bias / scaling_factor)
        y_int = y_int + bias_int
        scaling_factor = scaling_factor * self.weight
        return y_int * scaling_factor, scaling_factor
