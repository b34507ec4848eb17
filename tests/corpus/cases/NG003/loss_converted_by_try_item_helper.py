# corpus: NG003
"""A training script logs each loss term through a helper that tries `.item()` and falls back to
the value itself for what does not convert (a number, a string, a tensor of several elements).
Every term is a scalar loss, so the history holds Python floats. A second helper of the same shape
binds the converted value first; a third falls back to the tensor for a non-scalar loss, and its
history keeps every step's graph."""
import torch


def as_number(v):
    try:
        return v.item()
    except (AttributeError, ValueError, RuntimeError):
        return v


def extract(v):
    try:
        out = float(v)
    except (TypeError, ValueError, RuntimeError):
        out = v
    return out


def as_logged(v):
    try:
        return v.sum()
    except AttributeError:
        return v


def train(model, loader, optimizer, epochs):
    history, totals, sums = [], {}, []
    for _ in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            terms = {"mse": ((model(x) - y) ** 2).mean(), "l1": model.weight.abs().mean()}
            loss = terms["mse"] + 0.01 * terms["l1"]
            loss.backward()
            optimizer.step()
            history.append(as_number(loss))
            for key, value in terms.items():
                totals[key] = totals.get(key, 0.0) + extract(value)
            sums.append(as_logged(loss))  # expect: NG003
    return history, totals, sums
