# corpus: NG001
"""Evaluation helpers. They do not disable grad themselves: every caller wraps them."""
import torch


def evaluate(model, loader, device):
    model.eval()
    correct = total = 0
    for x, y in loader:
        logits = model(x.to(device))
        correct += (logits.argmax(1) == y.to(device)).sum().item()
        total += y.numel()
    return correct / total


class Evaluator:
    def __init__(self, model, loader):
        self.model = model
        self.loader = loader

    def run(self):
        self.model.eval()
        return [self.model(x).argmax(1) for x in self.loader]

    def __call__(self):
        with torch.no_grad():
            return self.run()
