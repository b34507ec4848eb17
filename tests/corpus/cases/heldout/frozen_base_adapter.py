# corpus: NG007
"""Adapters around a base layer frozen in the class: reading the frozen base weight through .data loses nothing (correct)."""
import torch
import torch.nn.functional as F
from torch import nn


class HouseholderAdapter(nn.Linear):
    """y = x (W R)^T with a trainable product of Householder reflections R; W stays frozen."""

    def __init__(self, base: nn.Linear, r=8):
        super().__init__(base.in_features, base.out_features, bias=base.bias is not None)
        self.base_layer = base
        self.base_layer.requires_grad_(False)
        self.hra_u = nn.Parameter(torch.randn(base.in_features, r) * 0.01)

    def delta(self):
        eye = torch.eye(self.in_features, device=self.hra_u.device)
        w = eye
        for i in range(self.hra_u.shape[1]):
            u = F.normalize(self.hra_u[:, i], dim=0).unsqueeze(1)
            w = w @ (eye - 2 * u @ u.t())
        return w

    def forward(self, x):
        orig_weight = self.base_layer.weight.data
        new_weight = orig_weight @ self.delta()
        return F.linear(x, new_weight, self.base_layer.bias)
