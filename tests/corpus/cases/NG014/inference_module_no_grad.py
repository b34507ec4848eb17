# corpus: NG014
"""A serving embedder keeps a running mean of the embeddings it served, updated by a helper that
runs under no_grad and blends the detached mean in place."""
import torch
from torch import nn


class ServingEmbedder(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.encoder = nn.Linear(dim, dim)
        self.register_buffer("served_mean", torch.zeros(dim))

    @torch.no_grad()
    def _track(self, emb):
        self.served_mean.mul_(0.99).add_(emb.mean(0), alpha=0.01)

    def forward(self, x):
        emb = self.encoder(x)
        self._track(emb)
        self.served_mean.lerp_(emb.mean(0).detach(), 0.01)
        return emb
