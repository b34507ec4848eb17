# corpus: NG001
"""A runner whose training branch takes a second, sharpness-aware backward pass through a helper
method, only under its training flag: with the flag off the helper never runs, so the validation
call is an evaluation with gradients enabled."""
import torch


class Runner:
    def __init__(self, model, criterion, optimizer):
        self.model, self.criterion, self.optimizer = model, criterion, optimizer

    def _second_pass(self, x, y):
        self.criterion(self.model(x), y).backward()
        self.optimizer.step()

    def epoch(self, loader, train=True):
        total = 0.0
        for x, y in loader:
            loss = self.criterion(self.model(x), y)
            if train:
                self.optimizer.zero_grad()
                loss.backward()
                self._second_pass(x, y)
            total += loss.item()
        return total

    def validate(self, loader):
        return self.epoch(loader, train=False)  # expect: NG001

    def test(self, loader):
        with torch.no_grad():
            return self.epoch(loader, train=False)
