# corpus: NG001, NG002
"""Robust accuracy under an L-inf PGD attack."""
import torch
import torch.nn.functional as F


def craft_examples(model, x, y, eps=8 / 255, alpha=2 / 255, steps=10):
    delta = torch.empty_like(x).uniform_(-eps, eps)
    for _ in range(steps):
        delta.requires_grad_(True)
        loss = F.cross_entropy(model(x + delta), y)
        loss.backward()
        with torch.no_grad():
            delta = (delta + alpha * delta.grad.sign()).clamp(-eps, eps)
            delta = (x + delta).clamp(0, 1) - x
    return (x + delta).detach()


def evaluate_robustness(model, loader, device):
    model.eval()
    correct = total = 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        x_adv = craft_examples(model, x, y)
        correct += (model(x_adv).argmax(1) == y).sum().item()
        total += y.numel()
    return correct / total
