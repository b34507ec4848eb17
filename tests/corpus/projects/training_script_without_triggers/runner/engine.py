# corpus: NG003
"""The library's training engine: `fit_batch` backpropagates and steps the optimizer, then
returns the loss with its graph; `score_batch` returns a Python float."""
import torch
import torch.nn.functional as F


class Engine:
    def __init__(self, model, optimizer):
        self.model, self.optimizer = model, optimizer

    def fit_batch(self, inputs, targets):
        self.optimizer.zero_grad()
        loss = F.cross_entropy(self.model(inputs), targets)
        loss.backward()
        self.optimizer.step()
        return loss

    def score_batch(self, inputs, targets):
        with torch.no_grad():
            return (self.model(inputs).argmax(1) == targets).float().mean().item()
