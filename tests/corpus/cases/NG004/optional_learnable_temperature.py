# corpus: NG004
"""A contrastive head whose temperature is learned or absent; clamped in place after each step."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class ContrastiveHead(nn.Module):
    def __init__(self, dim, learn_temperature=True):
        super().__init__()
        self.proj = nn.Linear(dim, dim)
        if learn_temperature:
            self.register_parameter("logit_scale", nn.Parameter(torch.tensor(math.log(1 / 0.07))))
        else:
            self.register_parameter("logit_scale", None)

    def clamp_scale(self):
        if self.logit_scale is not None:
            self.logit_scale.clamp_(0.0, math.log(100.0))  # expect: NG004

    def forward(self, a, b):
        a = F.normalize(self.proj(a), dim=-1)
        b = F.normalize(self.proj(b), dim=-1)
        scale = self.logit_scale.exp() if self.logit_scale is not None else 1.0 / 0.07
        logits = scale * a @ b.t()
        labels = torch.arange(a.shape[0], device=a.device)
        return F.cross_entropy(logits, labels)
