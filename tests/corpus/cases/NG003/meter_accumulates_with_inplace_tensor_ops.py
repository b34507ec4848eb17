# corpus: NG003
"""A meter that keeps its statistics in tensors and updates them in place: `copy_` of the new
value into the last-value buffer, then `add_` into the running total. Both record autograd
history when the value has a graph, so the total chains every training step's graph until the
epoch ends. The second meter writes through `.data`, which autograd never sees."""
import torch


class TensorMeter:
    def __init__(self, width=1):
        self.total = torch.zeros(width)
        self.last = torch.zeros(width)
        self.count = 0

    def update(self, value, n=1):
        self.count += n
        self.last.copy_(value)
        self.total.add_(self.last * n)


class DataMeter:
    def __init__(self, width=1):
        self.total = torch.zeros(width)
        self.count = 0

    def update(self, value, n=1):
        self.count += n
        self.total.data.add_(value * n)


def run_epoch(model, loader, criterion, optimizer):
    loss_meter = TensorMeter()
    seen_meter = DataMeter()
    for inputs, targets in loader:
        loss = criterion(model(inputs), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        loss_meter.update(loss)  # expect: NG003
        seen_meter.update(loss)
    return loss_meter.total / max(loss_meter.count, 1)
