# corpus: NG003
"""Evaluation helpers that return Python values (and one that returns a loss tensor)."""
import torch


def evaluate_model(model, loader):
    """Named like a model, but returns a float: every term goes through .item() under no_grad."""
    total = 0.0
    with torch.no_grad():
        for x, y in loader:
            total += torch.nn.functional.mse_loss(model(x), y).item()
    return total / len(loader)


def batch_stats(net, x):
    """A dict of Python numbers."""
    with torch.no_grad():
        predictions = net(x).argmax(1)
    return {"acc": predictions.float().mean().item(), "n": len(x)}


def smoothed(term):
    """A scalar that the caller's loss module already detached."""
    return term.detach() * 0.5


def objective(model, x, y):
    """Not named like a loss, but returns one with its graph."""
    logits = model(x)
    return torch.nn.functional.cross_entropy(logits, y)
