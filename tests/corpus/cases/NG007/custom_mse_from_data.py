# corpus: NG007, NG003
"""Hand-written regression loss that reads the prediction through .data."""
import torch


def fit(regressor, xs, ys, optimizer, epochs=100):
    for _ in range(epochs):
        pred = regressor(xs)
        loss = ((pred.data - ys) ** 2).mean()  # expect: NG007
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return regressor
