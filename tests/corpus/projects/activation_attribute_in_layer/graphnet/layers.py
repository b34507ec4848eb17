# corpus: NG001
"""A graph attention layer whose last step is an activation module kept as an attribute: its
output carries the graph of the layer's weights through the activation."""
import torch
import torch.nn.functional as F
from torch import nn


class EdgeAttention(nn.Module):
    def __init__(self, width, slope=0.2):
        super().__init__()
        self.proj = nn.Parameter(torch.empty(width, width))
        self.score = nn.Parameter(torch.empty(2 * width, 1))
        self.act = nn.LeakyReLU(slope)
        nn.init.xavier_uniform_(self.proj)
        nn.init.xavier_uniform_(self.score)

    def forward(self, feats, adj):
        h = feats @ self.proj
        n = h.size(0)
        pairs = torch.cat([h.repeat(1, n).view(n * n, -1), h.repeat(n, 1)], dim=1).view(n, n, -1)
        logits = self.act((pairs @ self.score).squeeze(2))
        masked = torch.where(adj > 0, logits, torch.full_like(logits, -1e9))
        return F.softmax(masked, dim=1) @ h
