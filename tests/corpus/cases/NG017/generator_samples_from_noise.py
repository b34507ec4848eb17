# corpus: NG017
# Progress images from fixed noise: the generator stays in training mode (batch statistics) on purpose.
import torch
import torch.nn as nn


class Generator(nn.Module):
    def __init__(self, nz):
        super().__init__()
        self.main = nn.Sequential(nn.Linear(nz, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Linear(256, 784))

    def forward(self, z):
        return torch.tanh(self.main(z))


def train(loader, discriminator, nz=64):
    netG = Generator(nz)
    opt = torch.optim.Adam(netG.parameters())
    fixed = torch.randn(64, nz)
    for epoch in range(20):
        for real in loader:
            opt.zero_grad()
            discriminator(netG(torch.randn(real.size(0), nz))).mean().backward()
            opt.step()
        with torch.no_grad():
            grid = netG(fixed).view(-1, 1, 28, 28)
        save(grid, epoch)
