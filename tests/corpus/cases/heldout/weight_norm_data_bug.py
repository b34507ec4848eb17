# corpus: NG007, NG004
"""Layers that read .data in forward and a loss built from output.data (gradients silently stop)."""
import torch
import torch.nn.functional as F
from torch import nn


class ScaledLinear(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(out_features, in_features))
        self.bias = nn.Parameter(torch.zeros(out_features))
        self.scale = nn.Parameter(torch.ones(out_features, 1))
        nn.init.kaiming_uniform_(self.weight.data, a=5 ** 0.5)

    def forward(self, x):
        w = self.weight.data / self.weight.data.norm(dim=1, keepdim=True)  # expect: NG007
        return F.linear(x, self.scale * w, self.bias)


class NoisyHead(nn.Module):
    def __init__(self, dim, n):
        super().__init__()
        self.fc = nn.Linear(dim, n)

    def forward(self, x):
        if self.training:
            x = x + 0.01 * torch.randn_like(x)
        print("input norm", x.data.norm().item(), "shape", x.data.shape)
        return self.fc(x)


def train_step(model, batch, optimizer, criterion):
    x, y = batch
    out = model(x)
    loss = criterion(out.data, y)  # expect: NG007
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


def clip_weights(model, c=0.01):
    for p in model.parameters():
        p.data.clamp_(-c, c)
