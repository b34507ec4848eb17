# corpus: NG014
"""A self-distillation teacher head centres its outputs with a running centre moved towards each
batch's mean output, in place, with the head's graph."""
import torch
import torch.nn.functional as F
from torch import nn


class CenteredTeacher(nn.Module):
    def __init__(self, dim, momentum=0.9):
        super().__init__()
        self.momentum = momentum
        self.register_buffer("center", torch.zeros(1, dim))
        self.head = nn.Linear(dim, dim)

    def forward(self, feats):
        out = self.head(feats)
        self.center.lerp_(out.mean(0, keepdim=True), 1 - self.momentum)  # expect: NG014
        return F.softmax(out - self.center, dim=-1)
