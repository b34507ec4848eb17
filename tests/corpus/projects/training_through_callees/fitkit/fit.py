# corpus: NG003
"""Epoch loops that train only through the library's stepper (no backward of their own): keeping
what `step` returns keeps each iteration's graph; `step_value` returns a number, and `score`
trains nothing. The last loop belongs to the same class as its step."""
import torch

from .steps import Stepper


def fit(model, optimizer, criterion, batches, epochs):
    stepper = Stepper(model, optimizer, criterion)
    history = []
    for _ in range(epochs):
        running = 0.0
        for inputs, targets in batches:
            loss = stepper.step(inputs, targets)
            running += loss  # expect: NG003
        history.append(running)
    values = []
    for inputs, targets in batches:
        values.append(stepper.step_value(inputs, targets))
    scores = []
    for inputs, targets in batches:
        scores.append(stepper.score(inputs, targets))
    return history, values, scores


class Loop:
    def __init__(self, model, optimizer):
        self.model = model
        self.optimizer = optimizer

    def _update(self, batch):
        self.optimizer.zero_grad()
        loss = self.model(batch).mean()
        loss.backward()
        self.optimizer.step()
        return loss

    def run(self, batches):
        losses = []
        with torch.no_grad():
            warmup = [self.model(b) for b in batches[:1]]
        for batch in batches:
            losses.append(self._update(batch))  # expect: NG003
        return losses, warmup
