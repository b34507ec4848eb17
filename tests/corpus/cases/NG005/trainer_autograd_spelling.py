# corpus: NG005, NG012
"""Trainer with a test method that uses the torch.autograd spelling of the switch."""
import torch
from torch import autograd


class Trainer:
    def __init__(self, model, optimizer):
        self.model = model
        self.optimizer = optimizer

    def test(self, loader):
        self.model.eval()
        autograd.set_grad_enabled(False)  # expect: NG005
        scores = []
        for x, _ in loader:
            scores.append(self.model(x).sigmoid())
        autograd.set_grad_enabled(True)
        return torch.cat(scores)
