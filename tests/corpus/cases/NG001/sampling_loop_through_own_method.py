# corpus: NG001
"""An attack object searches random perturbations for the one with the highest loss. The loss
comes from a method of the same class that runs its network; the search keeps the best
perturbation only, detached, so each turn's graph is recorded for nothing. The gradient attack
of the same class backpropagates through the same method, and is not reported."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class RandomSearchAttack:
    def __init__(self, in_features, n_classes, budget):
        self.net = nn.Sequential(nn.Linear(in_features, 64), nn.ReLU(), nn.Linear(64, n_classes))
        self.budget = budget

    def margin_loss(self, x, y):
        return F.cross_entropy(self.net(x), y)

    def search(self, x, y, trials=20):
        best, best_delta = -1.0, None
        for _ in range(trials):  # expect: NG001
            delta = torch.empty_like(x).uniform_(-self.budget, self.budget)
            loss = self.margin_loss(x + delta, y)
            if loss > best:
                best, best_delta = loss, delta
        return best_delta.detach()

    def gradient_step(self, x, y, steps=10, lr=0.01):
        delta = torch.zeros_like(x, requires_grad=True)
        for _ in range(steps):
            loss = self.margin_loss(x + delta, y)
            (grad,) = torch.autograd.grad(loss, delta)
            with torch.no_grad():
                delta += lr * grad.sign()
                delta.clamp_(-self.budget, self.budget)
        return delta.detach()
