# corpus: NG007, NG004, NG010
"""Cosine classifier for few-shot learning: the normalised weight is read through .data."""
import torch
from torch import nn
import torch.nn.functional as F


class CosineClassifier(nn.Module):
    def __init__(self, in_features, num_classes, scale=10.0):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(num_classes, in_features))
        self.scale = scale
        nn.init.kaiming_uniform_(self.weight)

    def forward(self, features):
        w = F.normalize(self.weight.data, dim=1)  # expect: NG007
        x = F.normalize(features, dim=1)
        return self.scale * F.linear(x, w)
