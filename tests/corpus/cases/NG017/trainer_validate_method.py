# corpus: NG017
# A trainer's validation method runs self.net under no_grad; fit calls it between epochs.
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, padding=1)
        self.norm = nn.BatchNorm2d(c)

    def forward(self, x):
        return torch.relu(self.norm(self.conv(x))) + x


class Trainer:
    def __init__(self, loader, val_loader):
        self.net = Block(16)
        self.opt = torch.optim.SGD(self.net.parameters(), lr=0.01)
        self.loader = loader
        self.val_loader = val_loader

    def validate(self):
        with torch.no_grad():
            return sum(self.net(x).pow(2).mean().item() for x in self.val_loader)  # expect: NG017

    def fit(self, epochs):
        for epoch in range(epochs):
            for x in self.loader:
                self.opt.zero_grad()
                self.net(x).pow(2).mean().backward()
                self.opt.step()
            print(self.validate())
