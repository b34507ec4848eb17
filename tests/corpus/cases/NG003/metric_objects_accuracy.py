# corpus: NG003, NG007
"""Training with metric objects: counts and comparisons carry no autograd history."""
import torch
import torch.nn.functional as F


class Accuracy:
    def __init__(self):
        self.correct = 0
        self.total = 0

    def update(self, correct, n):
        self.correct += correct
        self.total += n

    def compute(self):
        return float(self.correct) / max(self.total, 1)


def train_epoch(model, loader, optimizer):
    acc = Accuracy()
    correct_total = torch.zeros((), dtype=torch.long)
    model.train()
    for x, y in loader:
        out = model(x)
        loss = F.cross_entropy(out, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pred = out.argmax(dim=1)
        acc.update((pred == y).sum(), y.numel())
        correct_total += (pred == y).sum()
        top5 = out.topk(5, dim=1).indices
        correct_total += (top5 == y[:, None]).any(dim=1).sum()
    return acc.compute(), correct_total.item()
