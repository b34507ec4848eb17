# corpus: NG010, NG008
"""Linear probing on a frozen encoder, done right."""
import torch
from torch import nn


class LinearProbe(nn.Module):
    def __init__(self, encoder: nn.Module, dim: int, num_classes: int):
        super().__init__()
        self.encoder = encoder
        self.encoder.requires_grad_(False)
        self.encoder.eval()
        self.head = nn.Linear(dim, num_classes)
        self.head.weight.requires_grad = True

    def forward(self, x):
        with torch.no_grad():
            feats = self.encoder(x)
        return self.head(feats)
