# corpus: NG001
"""A one-batch step trains only when its flag says so, by returning early otherwise; the loop of
`evaluate` passes the flag off (after unpacking the batch into the call), so each batch's forward
records a graph that nothing uses. `train_epoch` passes it on and is fine."""
import torch
from torch import nn


def step(model, opt, x, y, learn=True):
    loss = nn.functional.cross_entropy(model(x), y)
    if not learn:
        return loss.item()
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


def train_epoch(model, opt, loader):
    model.train()
    return [step(model, opt, *batch) for batch in loader]


def evaluate(model, opt, loader):
    model.eval()
    losses = []
    for batch in loader:
        losses.append(step(model, opt, *batch, learn=False))  # expect: NG001
    return sum(losses) / len(losses)
