# corpus: NG014
"""The codebook EMA built from the detached encoder output: no graph reaches the buffer."""
import torch
import torch.nn.functional as F
from torch import nn


class EmaCodebookDetached(nn.Module):
    def __init__(self, codes, dim, decay=0.99):
        super().__init__()
        self.decay = decay
        self.register_buffer("embed", torch.randn(codes, dim))
        self.register_buffer("embed_sum", torch.zeros(codes, dim))

    def forward(self, z):
        idx = torch.cdist(z, self.embed).argmin(-1)
        onehot = F.one_hot(idx, self.embed.shape[0]).type(z.dtype)
        self.embed_sum.mul_(self.decay).add_(onehot.t() @ z.detach(), alpha=1 - self.decay)
        return self.embed[idx]
