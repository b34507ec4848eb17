# corpus: NG004, NG003, NG006
"""Manual SGD done right: the update runs under torch.no_grad()."""
import torch
import torch.nn.functional as F


def train(model, loader, lr=0.1, epochs=3):
    for epoch in range(epochs):
        for x, y in loader:
            loss = F.cross_entropy(model(x), y)
            model.zero_grad()
            loss.backward()
            with torch.no_grad():
                for p in model.parameters():
                    if p.grad is not None:
                        p -= lr * p.grad
    return model


@torch.no_grad()
def sgd_update(params, lr):
    for p in params:
        p.add_(p.grad, alpha=-lr)
