# corpus: NG001
"""The two generators of an image-translation model, in their own file."""
import torch.nn as nn


class MnistToSvhn(nn.Module):
    def __init__(self, width=64):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(1, width, 3, padding=1), nn.ReLU(), nn.Conv2d(width, 3, 3, padding=1))

    def forward(self, x):
        return self.body(x)


class Critic(nn.Module):
    def __init__(self, channels=3):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(channels, 8, 4, 2), nn.Flatten(), nn.LazyLinear(1))

    def forward(self, x):
        return self.body(x)
