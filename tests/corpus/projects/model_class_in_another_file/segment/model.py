# corpus: NG017
# The network only stacks blocks of another file: the mode matters through them.
import torch.nn as nn

from .layers import ConvBlock


class UNetLite(nn.Module):
    def __init__(self, classes):
        super().__init__()
        self.down = ConvBlock(3, 16)
        self.up = ConvBlock(16, 16)
        self.head = nn.Conv2d(16, classes, 1)

    def forward(self, x):
        return self.head(self.up(self.down(x)))
