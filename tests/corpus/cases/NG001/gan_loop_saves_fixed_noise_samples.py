# corpus: NG001
"""A GAN's training loop saves a grid of samples from fixed noise every hundred batches. The
generator runs with gradients on there, and its output goes only to torchvision's `save_image`,
which keeps nothing: a generator's graph recorded for a picture."""
import torch
import torch.nn as nn
from torchvision.utils import save_image


class Generator(nn.Module):
    def __init__(self, latent=100):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(latent, 784), nn.Tanh())

    def forward(self, z):
        return self.net(z).view(-1, 1, 28, 28)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(784, 1), nn.Sigmoid())

    def forward(self, x):
        return self.net(x.flatten(1))


def train(loader, epochs):
    gen, disc = Generator(), Discriminator()
    opt_g = torch.optim.Adam(gen.parameters(), 2e-4)
    opt_d = torch.optim.Adam(disc.parameters(), 2e-4)
    bce = nn.BCELoss()
    noise = torch.randn(64, 100)
    for epoch in range(epochs):
        for i, (real, _) in enumerate(loader):
            ones, zeros = torch.ones(real.size(0), 1), torch.zeros(real.size(0), 1)
            fake = gen(torch.randn(real.size(0), 100))
            d_loss = bce(disc(real), ones) + bce(disc(fake.detach()), zeros)
            opt_d.zero_grad()
            d_loss.backward()
            opt_d.step()
            g_loss = bce(disc(fake), ones)
            opt_g.zero_grad()
            g_loss.backward()
            opt_g.step()
            if i % 100 == 0:
                grid = gen(noise)  # expect: NG001
                save_image(grid, f"epoch{epoch}_batch{i}.png", normalize=True)
