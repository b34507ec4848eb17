# corpus: NG010
"""Fine-tuning a segmentation UNet with its output layer frozen, from a training script."""
import torch
import torch.nn as nn


class DoubleConv(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(),
                                 nn.Conv2d(cout, cout, 3, padding=1), nn.ReLU())

    def forward(self, x):
        return self.net(x)


class UNet(nn.Module):
    def __init__(self, n_classes=2):
        super().__init__()
        self.inc = DoubleConv(3, 64)
        self.down1 = DoubleConv(64, 128)
        self.outc = nn.Conv2d(128, n_classes, 1)

    def forward(self, x):
        return self.outc(self.down1(self.inc(x)))


class Trainer:
    def __init__(self, lr=1e-4):
        self.model = UNet()
        self.model.outc.requires_grad = False  # expect: NG010
        self.model.inc.requires_grad = False  # expect: NG010
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=lr)
