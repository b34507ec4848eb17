# corpus: NG001
"""Evaluation that runs each batch under no_grad and falls back to a grad-enabled forward only
when the model raises because its forward needs autograd (a Hamiltonian VAE computes a gradient
inside `forward`). The second loop has no such fallback."""
import torch


def evaluate(model, loader):
    model.eval()
    total = 0.0
    for batch in loader:
        try:
            with torch.no_grad():
                out = model(batch)
        except RuntimeError:
            out = model(batch)
        total += out.loss.item()
    return total


def evaluate_plain(model, loader):
    model.eval()
    total = 0.0
    for batch in loader:  # expect: NG001
        total += model(batch).loss.item()
    return total
