# corpus: NG017
"""A segmentation decoder with dropout."""
import torch.nn as nn


class Decoder(nn.Module):
    def __init__(self, width, classes):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(width, width), nn.Dropout(0.2), nn.Linear(width, classes))

    def forward(self, x):
        return self.body(x)
