# corpus: NG003
"""A training script with no grad-mode call, backward or `.detach()` of its own: every step
runs in engine.py. Summing what `fit_batch` returns keeps every step's graph; summing scores
does not."""
from .engine import fit_batch, score_batch


def run(model, optimizer, loader, epochs):
    for epoch in range(epochs):
        epoch_loss, epoch_score = 0.0, 0.0
        for inputs, targets in loader:
            loss = fit_batch(model, optimizer, inputs, targets)
            epoch_loss += loss  # expect: NG003
            epoch_score += score_batch(model, inputs, targets)
        print(epoch, epoch_loss / len(loader), epoch_score / len(loader))
