# corpus: NG007
"""A DeepFool-style search as a parameterless module's `forward`: the perturbed vectors are
detached in place every step (`pert.detach_()`), made a leaf again for the next gradient, and the
result handed back as `.data` copies. What `pert` held was cut on purpose before any `.data`;
nothing the module or its caller trains loses a gradient."""
import copy

import torch
from torch import nn


class DeepFool(nn.Module):
    def __init__(self, steps=10, overshoot=0.02):
        super().__init__()
        self.steps = steps
        self.overshoot = overshoot

    @staticmethod
    def norm_dim(w):
        return torch.stack([row.norm() for row in w])[:, None]

    def forward(self, vecs, net, label):
        pert = vecs + 0.0
        for _ in range(self.steps):
            x = pert.requires_grad_(True)
            logits = net(x)
            logits.gather(1, label[:, None]).sum().backward()
            step = x.grad / self.norm_dim(x.grad)
            pert = pert - (1 + self.overshoot) * step
            pert.detach_()
        grad = copy.deepcopy(x.grad.data)
        pert = copy.deepcopy(pert.data)
        return grad, pert
