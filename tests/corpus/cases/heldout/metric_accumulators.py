# corpus: NG003, NG001
"""Metric objects updated inside a training loop with history-free tensors (correct)."""
import torch
import torch.nn.functional as F


class RunningAccuracy:
    def __init__(self, device="cpu"):
        self.correct = torch.zeros((), dtype=torch.long, device=device)
        self.total = torch.zeros((), dtype=torch.long, device=device)

    def update(self, logits, target):
        self.correct += (logits.argmax(-1) == target).sum()
        self.total += target.numel()

    def compute(self):
        return (self.correct.float() / self.total.clamp(min=1)).item()


class ConfusionMatrix:
    def __init__(self, num_classes):
        self.mat = torch.zeros(num_classes, num_classes, dtype=torch.long)
        self.n = num_classes

    def update(self, preds, target):
        k = target * self.n + preds
        self.mat += torch.bincount(k, minlength=self.n ** 2).view(self.n, self.n)


def train_epoch(model, loader, optimizer, num_classes):
    acc = RunningAccuracy()
    cm = ConfusionMatrix(num_classes)
    loss_sum = torch.zeros(())
    n_correct = 0
    grad_norms = []
    for x, y in loader:
        logits = model(x)
        loss = F.cross_entropy(logits, y)
        optimizer.zero_grad()
        loss.backward()
        grad_norms.append(torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0))
        optimizer.step()
        acc.update(logits.detach(), y)
        cm.update(logits.argmax(-1), y)
        n_correct += (logits.argmax(-1) == y).sum()
        loss_sum += loss.detach() * x.size(0)
    return acc.compute(), cm.mat, loss_sum.item() / len(loader.dataset), grad_norms
