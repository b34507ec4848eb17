# corpus: NG001
# A running-statistics normaliser built without affine parameters records no graph: its
# inputs are built from Python numbers, and the module has no weights to record one for.
import torch
from torch import nn


class ReturnScaler:
    def __init__(self, normalise=True):
        if normalise:
            self.stats = nn.BatchNorm1d(1, momentum=None, affine=False)
        else:
            self.stats = None
        self.scaled = nn.BatchNorm1d(1)

    def normalise(self, returns):
        values = torch.tensor(returns).unsqueeze(-1)
        self.stats.train()
        self.stats(values)
        self.stats.eval()
        normed = self.stats(values)
        return [v.item() for v in normed.squeeze(-1)]

    def rescale(self, returns):
        # With its default affine weights the eval-mode forward records a graph of them.
        values = torch.tensor(returns).unsqueeze(-1)
        self.scaled.eval()
        normed = self.scaled(values)  # expect: NG001
        return [v.item() for v in normed.squeeze(-1)]
