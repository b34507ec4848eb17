# corpus: NG016
"""Decoder blocks kept in a plain Python list, their parameters registered by hand. The first
block class accepts a `dropout` rate for its configuration's sake but builds only a layer norm and
a convolution, so `eval()` reaching it or not changes nothing. The second one does hand its rate to
a dropout layer, and a plain list of those keeps dropping out after `eval()`."""
import torch
from torch import nn


class ConvBlock(nn.Module):
    def __init__(self, channels, dropout=0.2):
        super().__init__()
        self.norm = nn.LayerNorm(channels)
        self.conv = nn.Conv1d(channels, channels, 1)

    def forward(self, x):
        return self.conv(self.norm(x.transpose(1, 2)).transpose(1, 2)) + x


class DropBlock(nn.Module):
    def __init__(self, channels, dropout=0.2):
        super().__init__()
        self.conv = nn.Conv1d(channels, channels, 1)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        return self.drop(self.conv(x)) + x


class Decoder(nn.Module):
    def __init__(self, channels=8, layers=3):
        super().__init__()
        self.blocks = []
        for _ in range(layers):
            self.blocks.append(ConvBlock(channels))
        self.params = nn.ParameterList([p for b in self.blocks for p in b.parameters()])

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return x


class DroppingDecoder(nn.Module):
    def __init__(self, channels=8, layers=3):
        super().__init__()
        self.blocks = []  # expect: NG016
        for _ in range(layers):
            self.blocks.append(DropBlock(channels))
        self.params = nn.ParameterList([p for b in self.blocks for p in b.parameters()])

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return torch.tanh(x)
