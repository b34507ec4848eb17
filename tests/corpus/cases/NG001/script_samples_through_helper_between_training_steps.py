# corpus: NG001
"""A GAN script trains through two step functions and, every hundred generator steps, calls its
`sample` helper, which puts the generator in eval mode and runs it on fixed noise with grad on.
Only a NumPy copy of the samples is written out: the generator's graph is recorded for nothing."""
import numpy as np
import torch
import torch.nn as nn

G = nn.Sequential(nn.Linear(16, 64), nn.BatchNorm1d(64), nn.Tanh())
D = nn.Sequential(nn.Linear(64, 1))
g_opt = torch.optim.Adam(G.parameters(), 2e-4)
d_opt = torch.optim.Adam(D.parameters(), 2e-4)
fixed_z = torch.randn(32, 16)


def train_d(x_real):
    G.train()
    loss = D(G(torch.randn(len(x_real), 16)).detach()).mean() - D(x_real).mean()
    d_opt.zero_grad()
    loss.backward()
    d_opt.step()
    return loss.item()


def train_g():
    G.train()
    loss = -D(G(torch.randn(64, 16))).mean()
    g_opt.zero_grad()
    loss.backward()
    g_opt.step()
    return loss.item()


def sample(z):
    G.eval()
    return G(z)


step = 0
for x_real in torch.randn(1000, 64).split(64):
    train_d(x_real)
    train_g()
    step += 1
    if step % 100 == 0:
        images = sample(fixed_z)  # expect: NG001
        np.save(f"sample-{step}.npy", images.data.cpu().numpy())
