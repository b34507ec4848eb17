# corpus: NG001
# A GAN wrapper dispatches one `forward` on a mode string; its inference branch generates under
# `no_grad`, the others return losses with their graph. `Sketch2Photo` generates without it.
import torch
from torch import nn


class Pix2PixModel(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.netG = nn.Conv2d(channels, 3, 3, padding=1)
        self.netD = nn.Conv2d(3, 1, 3, padding=1)

    def forward(self, data, mode):
        if mode == "generator":
            fake = self.netG(data["label"])
            return -self.netD(fake).mean(), fake
        elif mode == "discriminator":
            return self.netD(data["image"]).mean()
        elif mode == "inference":
            with torch.no_grad():
                fake_image, _ = self.generate_fake(data["label"])
            return fake_image
        raise ValueError(mode)

    def generate_fake(self, label):
        fake = self.netG(label)
        return fake, fake.mean()


class Sketch2Photo(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.netG = nn.Conv2d(channels, 3, 3, padding=1)

    def forward(self, data, mode):
        if mode == "inference":
            return self.netG(data["label"])
        return self.netG(data["label"]).sub(data["image"]).abs().mean()
