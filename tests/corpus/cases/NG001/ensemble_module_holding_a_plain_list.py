# corpus: NG001
# An ensemble module keeps its members in a plain list (no `nn.ModuleList`): it registers no
# parameter of its own, but calling it runs every member, and each records a graph. Its
# `predict` loop keeps only numpy arrays. `Capture` holds nothing and computes nothing.
import numpy as np
import torch
from torch import nn


class Ensemble(nn.Module):
    def __init__(self, n, make_member):
        super().__init__()
        self.members = []
        for _ in range(n):
            self.members.append(make_member())

    def forward(self, x):
        return torch.stack([m(x) for m in self.members]).mean(0)


class Capture(nn.Module):
    def forward(self, *inputs):
        return inputs


class Regressor:
    def __init__(self, n, make_member):
        self.model = Ensemble(n, make_member)
        self.probe = Capture()

    def predict(self, loader):
        self.model.eval()
        means = []
        for x in loader:  # expect: NG001
            means.append(self.model(x).data.cpu().numpy())
        return np.concatenate(means)

    def inputs(self, loader):
        self.probe.eval()
        return [self.probe(x)[0].numpy() for x in loader]
