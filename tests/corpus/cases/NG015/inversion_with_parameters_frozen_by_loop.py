# corpus: NG015
"""The generator's parameters are frozen by a loop before the latent is optimized."""
import torch


def invert(generator, target, steps=500):
    for p in generator.parameters():
        p.requires_grad = False
    z = torch.randn(1, 128).requires_grad_()
    opt = torch.optim.SGD([z], lr=0.1)
    for _ in range(steps):
        opt.zero_grad()
        ((generator(z) - target) ** 2).mean().backward()
        opt.step()
    return z.detach()
