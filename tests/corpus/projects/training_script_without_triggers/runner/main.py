# corpus: NG003
"""A training script that never switches grad mode and runs no backward pass of its own:
every step runs in engine.py. Summing what `fit_batch` returns keeps every step's graph;
summing scores does not."""
from .engine import Engine


def run(model, optimizer, loader, epochs):
    engine = Engine(model, optimizer)
    for epoch in range(epochs):
        epoch_loss, epoch_score = 0.0, 0.0
        for inputs, targets in loader:
            loss = engine.fit_batch(inputs, targets)
            epoch_loss += loss  # expect: NG003
            epoch_score += engine.score_batch(inputs, targets)
        print(epoch, epoch_loss / len(loader), epoch_score / len(loader))
