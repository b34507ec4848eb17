# corpus: NG008
"""A frozen pretrained encoder (parameters switched off one by one)."""
import torch
import torch.nn as nn


class FrozenEncoder(nn.Module):
    def __init__(self, channels=(3, 64, 128, 256)):
        super().__init__()
        layers = []
        for cin, cout in zip(channels[:-1], channels[1:]):
            layers += [nn.Conv2d(cin, cout, 3, stride=2, padding=1), nn.ReLU()]
        self.features = nn.Sequential(*layers)
        for p in self.features.parameters():
            p.requires_grad = False

    @torch.no_grad()
    def forward(self, x):
        return self.features(x).mean((2, 3))
