# corpus: NG001
"""An attribution helper: the network's own `masked_forward` method runs its layers and returns the
attention masks. After `.eval()`, a loop over the loader calls it with grad on and keeps numpy
copies only. `describe` is a method of the network that runs no layer: the loop calling it is
not a forward loop."""
import numpy as np
import torch
from torch import nn


class MaskedNet(nn.Module):
    def __init__(self, dims):
        super().__init__()
        self.encoder = nn.Linear(dims, dims)

    def forward(self, x):
        return self.encoder(x)

    def masked_forward(self, x):
        hidden = self.encoder(x)
        return hidden, torch.sigmoid(hidden)

    def describe(self, x):
        return {"rows": len(x)}


class Explainer:
    def __init__(self, dims):
        self.network = MaskedNet(dims)

    def attributions(self, loader):
        self.network.eval()
        masks = []
        for batch in loader:  # expect: NG001
            _, mask = self.network.masked_forward(batch)
            masks.append(mask.detach().numpy())
        return np.concatenate(masks)

    def summaries(self, loader):
        self.network.eval()
        return [self.network.describe(batch) for batch in loader]
