# corpus: NG003
"""The library's training and scoring steps: `fit_batch` backpropagates and steps the optimizer,
then returns the loss with its graph; `score_batch` returns a Python float."""
import torch
import torch.nn.functional as F


def fit_batch(model, optimizer, inputs, targets):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(inputs), targets)
    loss.backward()
    optimizer.step()
    return loss


def score_batch(model, inputs, targets):
    with torch.no_grad():
        return (model(inputs).argmax(1) == targets).float().mean().item()
