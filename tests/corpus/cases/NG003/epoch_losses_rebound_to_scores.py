# corpus: NG003
"""Each epoch trains on one loss, then rebinds the same names to the two numbers a scoring method
returns (`.item()` under `no_grad`): the weighted mix appended to the history is a float, whatever
the names held before. The list of training losses, though, keeps graphs."""
import torch
import torch.nn as nn


class Regressor:
    def __init__(self, width):
        self.model = nn.Linear(width, width)

    def score(self, x, y):
        self.model.eval()
        with torch.no_grad():
            out = self.model(x)
            return nn.functional.mse_loss(out, y).item(), nn.functional.l1_loss(out, y).item()

    def fit(self, x, y, epochs):
        optimizer = torch.optim.Adam(self.model.parameters())
        history, raw = [], []
        for _ in range(epochs):
            self.model.train()
            mse = nn.functional.mse_loss(self.model(x), y)
            optimizer.zero_grad()
            mse.backward()
            optimizer.step()
            raw.append(mse)  # expect: NG003
            mse, l1 = self.score(x, y)
            mixed = mse * 0.7 + l1 * 0.3
            history.append(mixed)
        return history, raw
