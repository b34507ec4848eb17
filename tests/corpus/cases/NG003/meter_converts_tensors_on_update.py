# corpus: NG003
# A metrics accumulator that turns every tensor it is given into a float first: handing it the
# loss and a dict of metric tensors keeps no graph. The plain running meter below adds what it
# is given as is, so the loss handed to it keeps every step's graph.
from collections import defaultdict

import torch


class MetricsAccumulator:
    def __init__(self):
        self.loss_sum = 0.0
        self.metric_sums = defaultdict(float)
        self.count = 0

    def update(self, loss, metrics):
        """Add one step's loss and metrics."""
        if isinstance(loss, torch.Tensor):
            loss = loss.item()
        self.loss_sum += loss
        for name, value in metrics.items():
            if isinstance(value, torch.Tensor):
                value = value.item()
            self.metric_sums[name] += value
        self.count += 1


class RunningMeter:
    def __init__(self):
        self.total = 0.0

    def add(self, value):
        self.total += value


def train(model, loader, optimizer):
    accumulator = MetricsAccumulator()
    meter = RunningMeter()
    for batch in loader:
        loss, metrics = model(batch)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        accumulator.update(loss, metrics)
        meter.add(loss)  # expect: NG003
    return accumulator, meter
