# corpus: NG003
import torch

from .metrics import batch_stats, evaluate_model, objective, smoothed


def fit(model, loader, val_loader, optimizer):
    val_scores, stats, running, tail = [], [], 0.0, []
    for x, y in loader:
        optimizer.zero_grad()
        loss = objective(model, x, y)
        loss.backward()
        optimizer.step()
        val_scores.append(evaluate_model(model, val_loader))
        stats.append(batch_stats(model, x))
        tail.append(smoothed(loss))
        running += objective(model, x, y)  # expect: NG003
    return val_scores, stats, running, tail
