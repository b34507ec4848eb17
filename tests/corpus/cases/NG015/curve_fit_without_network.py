# corpus: NG015
"""A curve fit: the optimized tensors meet no network at all."""
import torch


def fit_curve(t, observed, steps=1000):
    a = torch.zeros((), requires_grad=True)
    b = torch.zeros((), requires_grad=True)
    opt = torch.optim.Adam([a, b], lr=0.01)
    for _ in range(steps):
        opt.zero_grad()
        loss = (a * torch.exp(b * t) - observed).pow(2).mean()
        loss.backward()
        opt.step()
    return a.item(), b.item()
