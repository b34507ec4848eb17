# corpus: NG015
# Searching for an input perturbation through a network frozen by a helper of another file:
# only the perturbation gets a gradient. The same search without the freeze computes a gradient
# for every weight of the network, which nothing updates.
import torch
from torch.nn import Parameter

from weights import lock_weights, release_weights


def adversarial_shift(net, x, steps=20):
    lock_weights(net)
    shift = Parameter(torch.zeros_like(x))
    opt = torch.optim.SGD([shift], lr=0.05)
    for _ in range(steps):
        opt.zero_grad()
        gap = -(net(x + shift) - net(x)).pow(2).sum()
        gap.backward()
        opt.step()
    release_weights(net)
    return shift.detach()


def unlocked_shift(net, x, steps=20):
    release_weights(net)
    shift = Parameter(torch.zeros_like(x))
    opt = torch.optim.SGD([shift], lr=0.05)
    for _ in range(steps):
        opt.zero_grad()
        gap = -(net(x + shift) - net(x)).pow(2).sum()
        gap.backward()  # expect: NG015
        opt.step()
    return shift.detach()
