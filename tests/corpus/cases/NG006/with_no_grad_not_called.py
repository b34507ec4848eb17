# corpus: NG006, NG001
"""Validation that names the context manager without calling it (TypeError at run time)."""
import torch


@torch.no_grad()
def _noop():
    pass


def validate(model, val_loader, metric):
    model.eval()
    with torch.no_grad:  # expect: NG006
        for images, targets in val_loader:
            metric.update(model(images), targets)
    return metric.compute()
