# corpus: NG001
"""Evaluation helper shared by the trainer and the CLI."""
import torch


def evaluate(model, loader):
    model.eval()
    losses = []
    for x, y in loader:  # expect: NG001
        losses.append(torch.nn.functional.mse_loss(model(x), y).item())
    return sum(losses) / len(losses)
