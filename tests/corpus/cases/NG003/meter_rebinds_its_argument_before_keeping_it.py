# corpus: NG003
"""Two running-average helpers called once per training step with the loss. The first cuts the
graph inside its method: it rebinds its argument to a detached sum before adding it to its state,
so the caller may pass the loss as it is. The second keeps what it is given: passing the loss
keeps every step's graph alive."""
import torch


class CuttingMeter:
    def __init__(self):
        self.count = 0
        self.total = 0.0

    def add(self, value):
        self.count += value.numel()
        value = value.detach().sum()
        self.total += value


class KeepingMeter:
    def __init__(self):
        self.total = 0.0

    def add(self, value):
        self.total += value


def fit(model, loader, optimizer):
    cutting, keeping = CuttingMeter(), KeepingMeter()
    for x, y in loader:
        loss = torch.nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        cutting.add(loss)
        keeping.add(loss)  # expect: NG003
    return cutting.total / max(cutting.count, 1), keeping.total
