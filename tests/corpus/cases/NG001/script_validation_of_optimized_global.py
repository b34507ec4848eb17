# corpus: NG001
"""A GAN script builds its critic at the top level (loaded from a checkpoint or built from a class
another file defines) and hands its parameters to an optimizer there: `crit` is a trained network
whatever its name says. Every few hundred iterations the training function scores a validation
set with it, grad on; only numbers leave the loop (`dev_costs`, a list, is no network either,
though its name mentions a critic's `disc`)."""
import numpy as np
import torch
from models.wgan import *  # noqa: F401,F403

if LOAD:  # noqa: F405
    crit = torch.load("critic.pt")
else:
    crit = GoodDiscriminator(64)  # noqa: F405
optimizer_c = torch.optim.Adam(crit.parameters(), lr=1e-4, betas=(0.0, 0.9))


def train(loader, val_loader, iterations=10000):
    for iteration in range(iterations):
        for real in loader:
            crit.zero_grad()
            cost = -crit(real).mean()
            cost.backward()
            optimizer_c.step()
        if iteration % 200 == 199:
            dev_disc_costs = []
            for images in val_loader:  # expect: NG001
                score = crit(images)
                dev_disc_costs.append(-score.mean().cpu().data.numpy())
            print(np.mean(dev_disc_costs))
