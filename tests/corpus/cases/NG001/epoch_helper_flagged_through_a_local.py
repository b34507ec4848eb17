# corpus: NG001
"""A shared epoch function trains only when it is handed an optimizer, through a local flag
(`training = optim is not None`). The validation call passes `optim=None`, so its loop runs the
model with gradients enabled and only reads `float(loss)`. The training call passes the optimizer."""
import torch


def do_epoch(model, loader, criterion, optim=None):
    training = optim is not None
    model.train() if training else model.eval()
    total = 0.0
    for x, y in loader:
        loss = criterion(model(x), y)
        if training:
            optim.zero_grad()
            loss.backward()
            optim.step()
        total += float(loss)
    return total / len(loader)


def fit(model, train_loader, val_loader, criterion, optim, epochs=10):
    best = float("inf")
    for _ in range(epochs):
        do_epoch(model, train_loader, criterion, optim=optim)
        best = min(best, do_epoch(model, val_loader, criterion, optim=None))  # expect: NG001
    return best
