# corpus: NG003
"""A compression engine's loop records a statistic after each step through a function picked at
run time: a user's callable from a table of debugging flags, or the library's own, which computes
under `no_grad` and returns a float. The name `_model_stat_fn` says nothing about a network; the
losses appended are numbers (a `.detach()` there would raise)."""
import torch


def average_loss(model, criterion, loader):
    total, n = 0.0, 0
    with torch.no_grad():
        for x, y in loader:
            total += criterion(model(x), y).item() * len(x)
            n += len(x)
    return total / max(n, 1)


def empty_stat_fn(model, criterion, loader):
    return average_loss(model, criterion, loader), {}


class Compressor:
    def __init__(self, debugging_flags=None):
        self.debugging_flags = debugging_flags or {}

    def run(self, w, criterion, optimizer, trainloader, valloader, steps):
        _model_stat_fn = self.debugging_flags["custom_model_statistics"] \
            if "custom_model_statistics" in self.debugging_flags else empty_stat_fn
        train_losses, val_losses = [], []
        for _ in range(steps):
            for x, y in trainloader:
                optimizer.zero_grad()
                criterion(w(x), y).backward()
                optimizer.step()
            train_loss, _ = _model_stat_fn(w, criterion, trainloader)
            train_losses.append(train_loss)
            val_loss, stats = _model_stat_fn(w, criterion, valloader)
            val_losses.append(val_loss)
        return train_losses, val_losses
