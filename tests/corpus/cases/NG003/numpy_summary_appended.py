# corpus: NG003
"""Generators trained in turn; the history records the mean of their Python-float losses, computed
with numpy from values taken with `.item()`. The name that held the last generator's loss tensor
is rebound to that numpy mean before it is appended."""
import numpy as np
import torch.nn.functional as F


def fit(generators, optimizers, critic, loader, target):
    history = []
    for noise in loader:
        values = []
        for generator, optimizer in zip(generators, optimizers):
            optimizer.zero_grad()
            generator_loss = F.mse_loss(critic(generator(noise)), target)
            generator_loss.backward()
            optimizer.step()
            values.append(generator_loss.item())
        generator_loss = np.mean(values)
        history.append(generator_loss)
    return history
