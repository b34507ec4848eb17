# corpus: NG001
"""Checks each pretrained expert's accuracy on its own data: a loop over a DataLoader that runs
the model with gradients on and only feeds a metric. No other word in the file hints at
evaluation."""
from torch.utils.data import DataLoader


def report(experts, datasets, metric_factory, device):
    for model, data in zip(experts, datasets):
        model.to(device)
        metric = metric_factory()
        for x, y in DataLoader(data, batch_size=256):  # expect: NG001
            y_pred = model(x.to(device))
            metric.update(y_pred, y.to(device))
        print(metric.result())
