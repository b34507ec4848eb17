# corpus: NG001
"""Nearest-class-mean classifier: class means from the feature extractor of the model.

The loops run sub-modules of the model that was just put in eval mode, with grad enabled: the
graphs of every batch stay alive in `class_means` until the means are computed.
"""
from collections import defaultdict

import torch


def compute_class_means(model, loader, device):
    class_means = defaultdict(list)
    model.eval()
    for x, y in loader:
        x = x.to(device)
        for c in torch.unique(y):  # expect: NG001
            out = model.feature_extractor(x[y == c])
            class_means[int(c)].append(out)
    model.train()
    return {k: torch.cat(v).mean(0) for k, v in class_means.items()}


def embed_dataset(net, loader):
    net.eval()
    return torch.cat([net.head(net.trunk(x)) for x, _ in loader])  # expect: NG001
