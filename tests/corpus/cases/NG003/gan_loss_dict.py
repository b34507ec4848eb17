# corpus: NG003, NG004, NG006
"""DCGAN training loop; per-epoch sums of the losses are kept in a dict as tensors."""
import torch
import torch.nn as nn


def train_gan(netG, netD, loader, epochs, nz=100, device="cpu"):
    criterion = nn.BCELoss()
    optD = torch.optim.Adam(netD.parameters(), lr=2e-4, betas=(0.5, 0.999))
    optG = torch.optim.Adam(netG.parameters(), lr=2e-4, betas=(0.5, 0.999))
    sums = {"d": 0.0, "g": 0.0}
    for epoch in range(epochs):
        for real, _ in loader:
            real = real.to(device)
            b = real.size(0)
            noise = torch.randn(b, nz, 1, 1, device=device)
            fake = netG(noise)

            netD.zero_grad()
            d_real = criterion(netD(real).view(-1), torch.ones(b, device=device))
            d_fake = criterion(netD(fake.detach()).view(-1), torch.zeros(b, device=device))
            errD = d_real + d_fake
            errD.backward()
            optD.step()

            netG.zero_grad()
            errG = criterion(netD(fake).view(-1), torch.ones(b, device=device))
            errG.backward()
            optG.step()

            sums["d"] += errD  # expect: NG003
            sums["g"] += errG.item()
        print(f"epoch {epoch}: D {sums['d']:.3f} G {sums['g']:.3f}")
    return sums
