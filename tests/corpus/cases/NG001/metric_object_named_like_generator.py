# corpus: NG001
"""An evaluation helper builds a Gaussian likelihood metric from already-detached predictions and
calls it per target; the metric object is named `g`, which reads like a generator network, but
it is built from a loss class and holds no parameters."""
import torch

from .losses import GaussianLoss


def run_evaluation(targets, labels_by_target, mean, std):
    log = {}
    for target in targets:
        labels = torch.as_tensor(labels_by_target[target])
        g = GaussianLoss(mean.unsqueeze(1), std.unsqueeze(1))
        log[target] = g(labels.unsqueeze(1))
    return log
