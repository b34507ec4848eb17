# corpus: NG010
"""A layer whose constructor takes a require_grad setting and applies it properly."""
import torch
from torch import nn


class Embedding(nn.Module):
    def __init__(self, vectors: torch.Tensor, require_grad: bool = False):
        super().__init__()
        self.require_grad = require_grad
        self.weight = nn.Parameter(vectors.clone(), requires_grad=require_grad)

    def forward(self, ids):
        return nn.functional.embedding(ids, self.weight)


def unfreeze(emb: Embedding):
    emb.weight.requires_grad = True
    return emb
