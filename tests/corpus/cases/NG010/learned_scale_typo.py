# corpus: NG010
"""A calibration head with a learnable temperature and a fixed prior. The misspelt attribute
matters here: the temperature is meant to be learned but never requires grad, and the prior
meant to be frozen is a parameter that keeps requiring grad."""
import torch
from torch import nn


class CalibratedHead(nn.Module):
    def __init__(self, dim: int, n_classes: int):
        super().__init__()
        self.fc = nn.Linear(dim, n_classes)
        temperature = torch.ones(1)
        temperature.require_grad = True  # expect: NG010
        self.temperature = temperature
        self.prior = nn.Parameter(torch.zeros(n_classes))
        self.prior.require_grad = False  # expect: NG010

    def forward(self, x):
        return self.fc(x) / self.temperature + self.prior


def fit(head: CalibratedHead, feats, labels, steps: int = 100):
    trainable = [p for p in head.parameters() if p.requires_grad] + [head.temperature]
    opt = torch.optim.Adam(trainable, lr=1e-2)
    for _ in range(steps):
        opt.zero_grad()
        nn.functional.cross_entropy(head(feats), labels).backward()
        opt.step()
    return head
