# corpus: NG004
"""An ensemble loss module that expands one set of weights into a population of perturbed copies.

The in-place initialisers run on plain (or cloned, non-leaf) tensors before the names are
rebound to the new Parameters, which is legal: only the result is a leaf.
"""
import torch
from torch import nn


def expand_param(param: nn.Parameter, n: int, jitter: bool = True) -> nn.Parameter:
    p_out = param.expand(n, *param.shape).clone()
    if jitter:
        p_out = nn.Parameter(p_out.uniform_(p_out.min().item(), p_out.max().item()).requires_grad_())
    else:
        p_out = nn.Parameter(p_out)
    return p_out


class Population(nn.Module):
    def __init__(self, base: nn.Linear, n: int):
        super().__init__()
        self.weight = expand_param(base.weight, n)
        bias = torch.empty(n, base.out_features)
        bias = nn.Parameter(bias.normal_(0.0, 0.02))
        self.bias = bias

    def forward(self, x):
        return torch.einsum("bi,noi->nbo", x, self.weight) + self.bias[:, None]
