# corpus: NG004
"""A bank of layers keeps its sub-layers in an attribute called `weight`, an `nn.ModuleList`:
assigning an element swaps a module, nothing is updated in place. A layer whose `weight` is a
real parameter is edited in place with grad on: that one raises."""
import torch
from torch import nn


class LayerBank(nn.Module):
    def __init__(self, count, width):
        super().__init__()
        self.weight = nn.ModuleList([nn.Linear(width, width) for _ in range(count)])

    def forward(self, x):
        return sum(layer(x) for layer in self.weight)


def clone_bank(source, width):
    target = LayerBank(len(source.weight), width)
    for i in range(len(source.weight)):
        target.weight[i] = source.weight[i]
    return target


def nudge(width):
    layer = nn.Linear(width, width)
    layer.weight[0] += 1.0  # expect: NG004
    return layer
