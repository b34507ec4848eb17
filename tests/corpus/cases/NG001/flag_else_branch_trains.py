# corpus: NG001
"""An epoch function that skips the update in its `if not train:` part and steps the optimizer in
the `else:` part: the backward runs only when `train` is true, so a call with `train=False` is a
pure evaluation that still records a graph for every batch."""
import torch


def run_epoch(model, loader, criterion, optimizer, train=True):
    total = 0.0
    for x, y in loader:
        loss = criterion(model(x), y)
        if not train:
            total += loss.item()
        else:
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return total


def fit(model, train_loader, val_loader, criterion, optimizer):
    run_epoch(model, train_loader, criterion, optimizer)
    return run_epoch(model, val_loader, criterion, optimizer, train=False)  # expect: NG001
