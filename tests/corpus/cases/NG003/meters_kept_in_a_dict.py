# corpus: NG003
"""Per-loss meters kept in containers: an ordered dict built from a comprehension, and a
defaultdict that builds a meter on first use. The meter's update adds what it is given to its
running sum, so handing it a loss tensor keeps that step's graph alive for the whole epoch. The
last loop hands the meters `.item()` numbers."""
from collections import OrderedDict, defaultdict

import torch


class RunningAverage:
    def __init__(self, label="", digits=4):
        self.label = label
        self.digits = digits
        self.total = 0
        self.count = 0

    def update(self, value, n=1):
        self.total += value * n
        self.count += n

    @property
    def average(self):
        return self.total / max(self.count, 1)


def train_epoch(model, loader, objective, optimizer, loss_names):
    meters = OrderedDict([(name, RunningAverage(name)) for name in loss_names])
    for images, targets in loader:
        terms = objective(model(images), targets)
        optimizer.zero_grad()
        terms["loss"].backward()
        optimizer.step()
        for name in terms:
            meters[name].update(terms[name], images.shape[0])  # expect: NG003
    return meters


def train_epoch_lazy(model, loader, criterion, optimizer):
    meters = defaultdict(RunningAverage)
    for images, targets in loader:
        loss = criterion(model(images), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        meters["loss"].update(loss, images.shape[0])  # expect: NG003
    return meters


def train_epoch_logged(model, loader, criterion, optimizer):
    meters = {"loss": RunningAverage("loss"), "accuracy": RunningAverage("accuracy")}
    for images, targets in loader:
        logits = model(images)
        loss = criterion(logits, targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        meters["loss"].update(loss.item(), images.shape[0])
        meters["accuracy"].update((logits.argmax(1) == targets).float().mean().item(), images.shape[0])
    return meters
