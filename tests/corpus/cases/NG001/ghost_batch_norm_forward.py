# corpus: NG001
"""Ghost batch normalisation: during training, `forward` normalises virtual mini-batches with the
statistics frozen (the norm layer briefly in eval mode) and returns the result, which training
differentiates. Not an evaluation loop. The `predict` method below is one."""
import torch
from torch import nn


class GhostNorm(nn.Module):
    def __init__(self, features, chunks=4):
        super().__init__()
        self.norm = nn.BatchNorm1d(features)
        self.chunks = chunks

    def forward(self, x):
        if not self.training:
            return self.norm(x)
        self.norm.eval()
        parts = [self.norm(part) for part in x.chunk(self.chunks, 0)]
        self.norm.train()
        return torch.cat(parts, 0)


class Classifier(nn.Module):
    def __init__(self, features, classes):
        super().__init__()
        self.norm = GhostNorm(features)
        self.head = nn.Linear(features, classes)

    def forward(self, x):
        return self.head(self.norm(x))

    def predict(self, batches):
        self.eval()
        return [self(x).argmax(-1) for x in batches]  # expect: NG001
