# corpus: NG003
"""The step functions of a small training library: one backpropagates and returns the live loss,
one backpropagates and returns its value, one only scores."""
import torch


class Stepper:
    def __init__(self, model, optimizer, criterion):
        self.model = model
        self.optimizer = optimizer
        self.criterion = criterion

    def step(self, inputs, targets):
        self.optimizer.zero_grad()
        loss = self.criterion(self.model(inputs), targets)
        loss.backward()
        self.optimizer.step()
        return loss

    def step_value(self, inputs, targets):
        return self.step(inputs, targets).item()

    def score(self, inputs, targets):
        with torch.no_grad():
            return self.criterion(self.model(inputs), targets)
