# corpus: NG006
"""Spiking neurons keep their membrane state in tensors and define their own `detach()`, which
cuts that state's history in place; a helper calls it on every sub-module, and an override calls
the base class's. A tensor's `.detach()` whose result is dropped does nothing."""
import torch
from torch import nn


class Stateful(nn.Module):
    def __init__(self):
        super().__init__()
        self.v = torch.zeros(1)

    def detach(self):
        self.v = self.v.detach()


class Neuron(Stateful):
    def detach(self):
        super().detach()


def detach_states(net: nn.Module):
    for m in net.modules():
        if hasattr(m, "detach"):
            m.detach()


def truncate(hidden):
    hidden.detach()  # expect: NG006
    return hidden
