# corpus: NG014
"""A vector-quantiser keeps an EMA of the encoder outputs assigned to each code, updated in place
from the encoder's output with its graph."""
import torch
import torch.nn.functional as F
from torch import nn


class EmaCodebook(nn.Module):
    def __init__(self, codes, dim, decay=0.99):
        super().__init__()
        self.decay = decay
        self.register_buffer("embed", torch.randn(codes, dim))
        self.register_buffer("embed_sum", torch.zeros(codes, dim))

    def forward(self, z):
        idx = torch.cdist(z, self.embed).argmin(-1)
        onehot = F.one_hot(idx, self.embed.shape[0]).type(z.dtype)
        if self.training:
            self.embed_sum.mul_(self.decay).add_(onehot.t() @ z, alpha=1 - self.decay)  # expect: NG014
        quantised = self.embed[idx]
        return z + (quantised - z).detach()
