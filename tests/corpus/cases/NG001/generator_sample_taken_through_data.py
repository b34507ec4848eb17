# corpus: NG001
"""A WGAN script trains both networks from the top level. In the critic step the generator's
sample is taken through `.data` (the old way to detach): the generator's forward still records its
whole graph, which nothing backpropagates. The generator step's own forward feeds its loss."""
import torch
from torch import autograd
from models.wgan import *  # noqa: F401,F403

gen = GoodGenerator(64)  # noqa: F405
critic = GoodDiscriminator(64)  # noqa: F405
optimizer_g = torch.optim.Adam(gen.parameters(), lr=1e-4, betas=(0.0, 0.9))
optimizer_c = torch.optim.Adam(critic.parameters(), lr=1e-4, betas=(0.0, 0.9))


def train(loader, iterations=1000, critic_iters=5):
    data = iter(loader)
    for iteration in range(iterations):
        gen.zero_grad()
        g_cost = -critic(gen(torch.randn(64, 128))).mean()
        g_cost.backward()
        optimizer_g.step()
        for _ in range(critic_iters):
            critic.zero_grad()
            fake = autograd.Variable(gen(torch.randn(64, 128)).data)  # expect: NG001
            c_cost = critic(fake).mean() - critic(next(data)).mean()
            c_cost.backward()
            optimizer_c.step()
