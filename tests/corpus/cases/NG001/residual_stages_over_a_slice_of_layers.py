# corpus: NG001
"""A residual quantizer encodes by running some of its own stages in turn (`self.stages[:n]`)
and hands back integer codes: one pass through the model's layers, not an evaluation loop over
data. Its `probe` method runs the whole stack over a list of inputs and keeps only norms."""
import torch
from torch import nn


class Stage(nn.Module):
    def __init__(self, width, size):
        super().__init__()
        self.proj = nn.Linear(width, width)
        self.codebook = nn.Parameter(torch.randn(size, width))

    def encode(self, x):
        return torch.cdist(self.proj(x), self.codebook).argmin(-1)

    def decode(self, codes):
        return self.codebook[codes]


class ResidualQuantizer(nn.Module):
    def __init__(self, width, size, depth):
        super().__init__()
        self.stages = nn.ModuleList([Stage(width, size) for _ in range(depth)])

    def encode(self, x, n=None):
        residual, codes = x, []
        for stage in self.stages[: n or len(self.stages)]:
            index = stage.encode(residual)
            residual = residual - stage.decode(index)
            codes.append(index)
        return torch.stack(codes)

    def probe(self, inputs):
        norms = []
        head = self.stages[0].proj
        for x in inputs:  # expect: NG001
            norms.append(float(head(x).norm()))
        return norms
