# corpus: NG003
"""Few-shot training logs its loss and accuracy through small averager objects. `add` rebuilds the
average from its own last value (`self.v = (self.v * self.n + x) / (self.n + 1)`), so a loss handed
over with its graph chains every episode's graph to the next one: nothing is freed until the epoch
ends. The accuracy is a Python float, and the last-value tracker replaces its tensor each time
(it holds one episode's graph, not all of them)."""
import torch
import torch.nn.functional as F


class Averager:
    def __init__(self):
        self.n = 0
        self.v = 0

    def add(self, x):
        self.v = (self.v * self.n + x) / (self.n + 1)
        self.n += 1

    def item(self):
        return self.v


class LastValue:
    def __init__(self):
        self.v = None

    def add(self, x):
        self.v = x


def count_acc(logits, label):
    return (logits.argmax(dim=1) == label).float().mean().item()


def train_epoch(model, episodes, optimizer, label):
    model.train()
    tl, ta, last = Averager(), Averager(), LastValue()
    for data in episodes:
        logits = model(data)
        loss = F.cross_entropy(logits, label)
        tl.add(loss)  # expect: NG003
        ta.add(count_acc(logits, label))
        last.add(loss)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return float(tl.item()), ta.item()
