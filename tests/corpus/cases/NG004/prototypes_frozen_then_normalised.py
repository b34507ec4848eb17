# corpus: NG004
"""Clustering prototypes that are not trained by gradient: each head's parameters are switched off
one by one, then the head's weight is normalised in place. A frozen leaf may be updated in place
outside no_grad. A projection head that stays trainable is rescaled the same way, which raises."""
import torch
import torch.nn.functional as F
from torch import nn


class Prototypes(nn.Module):
    def __init__(self, dim, sizes):
        super().__init__()
        self.heads = nn.ModuleList(nn.Linear(dim, k, bias=False) for k in sizes)
        self.projection = nn.Linear(dim, dim)
        for head in self.heads:
            for p in head.parameters():
                p.requires_grad = False
            head.weight.copy_(F.normalize(head.weight.data.clone(), dim=-1))
        self.projection.weight.mul_(0.5)  # expect: NG004
