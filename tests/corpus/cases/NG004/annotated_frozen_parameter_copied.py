# corpus: NG004
"""A binarised embedding keeps its weight as a `Parameter` built with `requires_grad=False` (a bool
table cannot require grad), bound with an annotated assignment; copying new weights into it in
place raises nothing. The scale beside it is trainable, and the same in-place copy on it raises
"a leaf Variable that requires grad is being used in an in-place operation"."""
from typing import Union

import torch
from torch import Tensor, nn
from torch.nn.parameter import Parameter


class BinaryEmbedding(nn.Module):
    def __init__(self, n, d):
        super().__init__()
        self.weight: Union[Parameter, Tensor] = Parameter(torch.rand(n, d) > 0.5, requires_grad=False)
        self.scale: Parameter = Parameter(torch.ones(d))

    def set_weight(self, weight):
        self.weight.copy_(weight)

    def set_scale(self, scale):
        self.scale.copy_(scale)  # expect: NG004

    def forward(self, idx):
        return self.weight[idx].float() * self.scale
