"""DCGAN on 64x64 images (after Radford et al., 2015), with a running average of the losses for logging.

Usage: python examples/dcgan.py --data ./celeba --epochs 5

This script has grad-mode bugs, each marked with a `# BUG NGxxx` comment; nogradlint finds all but one (said at its line).
"""

from __future__ import annotations

import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms, utils as vutils

NZ, NGF, NDF = 100, 64, 64


def weights_init(m: nn.Module) -> None:
    # Initialising weights through .data is the classic DCGAN recipe and fine.
    name = m.__class__.__name__
    if "Conv" in name:
        m.weight.data.normal_(0.0, 0.02)
    elif "BatchNorm" in name:
        m.weight.data.normal_(1.0, 0.02)
        m.bias.data.fill_(0)


class Generator(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(NZ, NGF * 8, 4, 1, 0, bias=False), nn.BatchNorm2d(NGF * 8), nn.ReLU(True),
            nn.ConvTranspose2d(NGF * 8, NGF * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(NGF * 4), nn.ReLU(True),
            nn.ConvTranspose2d(NGF * 4, NGF * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(NGF * 2), nn.ReLU(True),
            nn.ConvTranspose2d(NGF * 2, NGF, 4, 2, 1, bias=False), nn.BatchNorm2d(NGF), nn.ReLU(True),
            nn.ConvTranspose2d(NGF, 3, 4, 2, 1, bias=False), nn.Tanh(),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.main(z)


class Discriminator(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, NDF, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(NDF, NDF * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(NDF * 2), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(NDF * 2, NDF * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(NDF * 4), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(NDF * 4, NDF * 8, 4, 2, 1, bias=False), nn.BatchNorm2d(NDF * 8), nn.LeakyReLU(0.2, inplace=True),
        )
        self.classifier = nn.Conv2d(NDF * 8, 1, 4, 1, 0, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.features(x)
        return self.classifier(h.data).view(-1)  # BUG NG007: `.data` cuts the graph; the feature layers never train


def feature_matching_loss(disc: Discriminator, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    real_features = disc.features(real).mean(0)
    fake_features = disc.features(fake).mean(0)
    return F.mse_loss(fake_features.data, real_features.detach())  # BUG NG007: the loss has no path to the generator (not reported yet: NG007 does not follow `.data` of a helper's local into a loss)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="./celeba")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--lr", type=float, default=2e-4)
    args = parser.parse_args()

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    dataset = datasets.ImageFolder(args.data, transform=transforms.Compose([
        transforms.Resize(64), transforms.CenterCrop(64), transforms.ToTensor(),
        transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5)),
    ]))
    loader = DataLoader(dataset, batch_size=128, shuffle=True, num_workers=4, drop_last=True)
    netG, netD = Generator().to(device), Discriminator().to(device)
    netG.apply(weights_init)
    netD.apply(weights_init)
    optD = torch.optim.Adam(netD.parameters(), lr=args.lr, betas=(0.5, 0.999))
    optG = torch.optim.Adam(netG.parameters(), lr=args.lr, betas=(0.5, 0.999))
    fixed_noise = torch.randn(64, NZ, 1, 1, device=device)

    smooth_d = smooth_g = 0.0
    g_losses = []
    for epoch in range(args.epochs):
        for i, (real, _) in enumerate(loader):
            real = real.to(device)
            b = real.size(0)
            # (1) discriminator: real batch, then a fake batch detached from the generator (correct).
            optD.zero_grad()
            out_real = netD(real)
            noise = torch.randn(b, NZ, 1, 1, device=device)
            fake = netG(noise)
            out_fake = netD(fake.detach())
            lossD = (F.binary_cross_entropy_with_logits(out_real, torch.ones_like(out_real))
                     + F.binary_cross_entropy_with_logits(out_fake, torch.zeros_like(out_fake)))
            lossD.backward()
            optD.step()

            # (2) generator
            optG.zero_grad()
            out = netD(fake)
            lossG = F.binary_cross_entropy_with_logits(out, torch.ones_like(out)) + feature_matching_loss(netD, real, fake)
            lossG.backward()
            optG.step()

            smooth_d = 0.9 * smooth_d + 0.1 * lossD  # BUG NG003: the running average holds every step's graph
            g_losses.append(lossG)  # BUG NG003: the list keeps each loss's graph (use lossG.item())
            if i % 100 == 0:
                print(f"[{epoch}/{args.epochs}][{i}/{len(loader)}] D {float(smooth_d):.3f} G {lossG.item():.3f}")

        with torch.no_grad():
            samples = netG(fixed_noise).cpu()
        vutils.save_image(samples, f"samples_epoch{epoch:03d}.png", normalize=True)
    torch.save({"G": netG.state_dict(), "D": netD.state_dict(), "g_losses": g_losses}, "dcgan.pt")


if __name__ == "__main__":
    main()
