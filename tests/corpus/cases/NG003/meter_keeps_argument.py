# corpus: NG003
"""Running-average meters fed from a training loop. `update` adds its argument to the meter's
own state, so a loss passed with its graph keeps every iteration's graph alive; a meter fed
`.item()` values, or one whose `update` stores a detached copy, keeps nothing."""
import torch
import torch.nn.functional as F


class RunningMean:
    def __init__(self):
        self.total = torch.zeros(())
        self.count = 0

    def update(self, value, n=1):
        self.total += value * n
        self.count += n

    @property
    def mean(self):
        return self.total / max(self.count, 1)


class DetachedMean:
    def __init__(self):
        self.values = []

    def update(self, value):
        self.values.append(value.detach())


def fit(model, loader, optimizer):
    loss_meter, item_meter, safe_meter = RunningMean(), RunningMean(), DetachedMean()
    for x, y in loader:
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        loss_meter.update(loss, x.shape[0])  # expect: NG003
        item_meter.update(loss.item(), x.shape[0])
        safe_meter.update(loss)
    return loss_meter.mean, item_meter.mean, safe_meter.values
