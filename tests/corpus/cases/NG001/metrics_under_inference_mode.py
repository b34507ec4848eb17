# corpus: NG001
"""Evaluation with inference_mode through an alias and a configurable context."""
import contextlib

import torch as T


def evaluate(model, loader, use_inference_mode=True):
    model.eval()
    ctx = T.inference_mode() if use_inference_mode else T.no_grad()
    confusion = T.zeros(10, 10, dtype=T.long)
    with ctx:
        for x, y in loader:
            pred = model(x).argmax(1)
            confusion.index_put_((y, pred), T.ones_like(y), accumulate=True)
    return confusion


def score(model, loader, grad=False):
    model.eval()
    guard = contextlib.nullcontext() if grad else T.no_grad()
    with guard:
        return sum((model(x).argmax(1) == y).float().mean().item() for x, y in loader) / len(loader)
