# corpus: NG001
"""A GAN script saves a grid of samples each epoch: the generator is put in eval mode and run
once with grad on, then a plotting loop over `range` walks the images. The plotting loop runs no
model; the forward before it is the evaluation. A second version samples under no_grad."""
import torch
from torch import nn
import matplotlib.pyplot as plt


class Gen(nn.Module):
    def __init__(self, z_dim=16):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(z_dim, 64), nn.ReLU(), nn.Linear(64, 28 * 28), nn.Tanh())

    def forward(self, z):
        return self.body(z)


G = Gen()
fixed_z = torch.randn(16, 16)


def save_grid(path):
    G.eval()
    images = G(fixed_z)  # expect: NG001
    G.train()
    fig, axes = plt.subplots(4, 4)
    for k in range(16):
        axes[k // 4, k % 4].imshow(images[k].detach().view(28, 28).numpy(), cmap="gray")
    fig.savefig(path)
    plt.close(fig)


def save_grid_quietly(path):
    G.eval()
    with torch.no_grad():
        images = G(fixed_z)
    G.train()
    fig, axes = plt.subplots(4, 4)
    for k in range(16):
        axes[k // 4, k % 4].imshow(images[k].view(28, 28).numpy(), cmap="gray")
    fig.savefig(path)
    plt.close(fig)
