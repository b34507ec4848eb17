# corpus: NG003
"""Models for gradient-based data-subset selection: `forward(x, last=True, freeze=True)` computes
the embedding under `torch.no_grad()` (only the last layer is differentiated for the selection
scores) and returns it beside the logits."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ResNetLike(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.embDim = 8
        self.linear = nn.Linear(8, num_classes)

    def forward(self, x, last=False, freeze=False):
        if freeze:
            with torch.no_grad():
                out = F.relu(self.conv(x))
                e = F.adaptive_avg_pool2d(out, 1).flatten(1)
        else:
            out = F.relu(self.conv(x))
            e = F.adaptive_avg_pool2d(out, 1).flatten(1)
        out = self.linear(e)
        if last:
            return out, e
        else:
            return out

    def get_embedding_dim(self):
        return self.embDim


class LogReg(nn.Module):
    def __init__(self, dim, num_classes=10):
        super().__init__()
        self.linear = nn.Linear(dim, num_classes)

    def forward(self, x, last=False, freeze=False):
        if freeze:
            with torch.no_grad():
                e = x.flatten(1)
        else:
            e = x.flatten(1)
        out = self.linear(e)
        if last:
            return out, e
        return out

    def get_embedding_dim(self):
        return self.linear.in_features
