# corpus: NG001
"""The loop hands its samples to a function of another module of the project, which may do
anything with them, a backward pass included (here it trains a perceptual critic on them): the
samples' graph is not known to be wasted, so the forward is not reported on its own."""
import torch
import torch.nn as nn
from critic_steps import perceptual_step


def train(gen, disc, loader, epochs):
    opt_g = torch.optim.Adam(gen.parameters(), 2e-4)
    bce = nn.BCELoss()
    noise = torch.randn(64, 100)
    for epoch in range(epochs):
        for i, (real, _) in enumerate(loader):
            fake = gen(torch.randn(real.size(0), 100))
            g_loss = bce(disc(fake), torch.ones(real.size(0), 1))
            opt_g.zero_grad()
            g_loss.backward()
            opt_g.step()
            if i % 100 == 0:
                samples = gen(noise)
                perceptual_step(samples, real)
