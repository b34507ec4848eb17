# corpus: NG010
"""Freezing a learned scale and a buffer of a submodule reached through the model: both are tensors."""
import torch
import torch.nn as nn


class ScaledHead(nn.Module):
    def __init__(self, dim, n):
        super().__init__()
        self.fc = nn.Linear(dim, n)
        self.logit_scale = nn.Parameter(torch.ones(1))
        self.register_buffer("prior", torch.zeros(n))

    def forward(self, x):
        return self.fc(x) * self.logit_scale + self.prior


class Classifier(nn.Module):
    def __init__(self, dim, n):
        super().__init__()
        self.body = nn.Linear(dim, dim)
        self.head = ScaledHead(dim, n)

    def forward(self, x):
        return self.head(self.body(x).relu())


def build(dim, n, learn_scale=False):
    model = Classifier(dim, n)
    model.head.logit_scale.requires_grad = learn_scale
    model.head.prior.requires_grad = False
    model.head.fc.requires_grad = False  # expect: NG010
    return model
