# corpus: NG007
"""A linear-probe style model that meant to stop gradients at its input, but detaches after its own stem: the stem never learns."""
import torch
from torch import nn


class ProbeNet(nn.Module):
    def __init__(self, in_ch=3, width=64, num_classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(in_ch, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU())
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Linear(width, num_classes)

    def forward(self, x):
        x = self.stem(x)
        x = x.data  # expect: NG007
        x = self.pool(x).flatten(1)
        return self.head(x)
