# corpus: NG003
"""Each epoch builds its loader from that epoch's augmented examples; the step helper returns the
raw outputs as predictions for a regression task, and the epoch keeps every batch's with its
graph. The list is reset per epoch, but the epoch is no data item: it holds a whole epoch."""
import torch
from torch import nn


class Fitter:
    def __init__(self, model, regression):
        self.model = model
        self.regression = regression
        self.criterion = nn.MSELoss()

    def step(self, batch):
        x, y = batch
        out = self.model(x)
        if self.regression:
            loss = self.criterion(out.squeeze(-1), y)
            preds = out
        else:
            loss = self.criterion(out, y)
            preds = out.argmax(dim=-1)
        return loss, preds.cpu()

    def augmented(self, data, epoch):
        return [(x + 0.01 * epoch, y) for x, y in data]

    def fit(self, data, optimizer, epochs):
        for epoch in range(epochs):
            loader = self.augmented(data, epoch)
            collected = []
            for batch in loader:
                loss, preds = self.step(batch)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                collected.append(preds)  # expect: NG003
            print(torch.cat(collected).mean().item())
