# corpus: NG001
"""A perceptual critic trained on the generator's samples: its loss backpropagates through them."""
import torch

_critic = torch.nn.Linear(784, 1)
_optimizer = torch.optim.SGD(_critic.parameters(), lr=1e-3)


def perceptual_step(samples, real):
    loss = (_critic(samples.flatten(1)) - _critic(real.flatten(1))).abs().mean()
    _optimizer.zero_grad()
    loss.backward()
    _optimizer.step()
