# corpus: NG001
"""A wrapper module returns a dict: the representation from the encoder's no_grad `encode`
(the class is re-exported by its package), and a loss only when asked. A fitting routine that
collects the representations of the training set records no graph; one that collects the
losses does, and keeps nothing of it but numbers."""
import torch
from torch import nn

from .layers import SeriesEncoder


class Representer(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.encoder = SeriesEncoder(width)

    def forward(self, inputs, with_loss=False):
        results = {}
        results["representation"] = self.encoder.encode(inputs["x"])
        if with_loss:
            results["loss"] = self.encoder(inputs["x"]).pow(2).mean()
        return results


class Classifier:
    def __init__(self, width):
        self.model = Representer(width)

    def collect(self, loader):
        reprs = []
        for batch in loader:
            reprs.append(self.model(batch)["representation"])
        self.features = torch.cat(reprs).numpy()

    def audit(self, loader):
        losses = []
        for batch in loader:  # expect: NG001
            losses.append(self.model(batch, with_loss=True)["loss"].item())
        self.mean_loss = sum(losses) / len(losses)
