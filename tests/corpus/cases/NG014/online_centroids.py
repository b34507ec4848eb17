# corpus: NG014
"""A clustering head keeps centroids as a moving average of the projected batch means (over two
lines), with the projection's graph."""
import torch
from torch import nn


class ClusterHead(nn.Module):
    def __init__(self, dim, clusters, decay=0.95):
        super().__init__()
        self.decay = decay
        self.proj = nn.Linear(dim, dim)
        self.register_buffer("centroids", torch.randn(clusters, dim))

    def forward(self, x, assign):
        z = self.proj(x)
        means = assign.t() @ z / assign.sum(0).clamp(min=1).unsqueeze(1)
        self.centroids = (self.decay * self.centroids  # expect: NG014
                          + (1 - self.decay) * means)
        return z @ self.centroids.t()
