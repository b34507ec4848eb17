# corpus: NG015
"""GAN inversion: a projector finds the latent that reproduces a photo. The latent is an
`nn.Parameter` in a parameter group; the generator held by the object keeps requiring grad."""
import torch
from torch import nn


class Projector:
    def __init__(self, generator, steps=500):
        self.generator = generator
        self.steps = steps

    def project(self, target):
        z = nn.Parameter(torch.randn(1, self.generator.z_dim))
        opt = torch.optim.Adam([{"params": [z], "lr": 0.05, "betas": (0.9, 0.999)}])
        for step in range(self.steps):
            opt.zero_grad()
            loss = (self.generator(z) - target).abs().mean()
            loss.backward()  # expect: NG015
            opt.step()
        return z.detach()
