# corpus: NG009, NG007
"""Rotary position embedding whose cos/sin tables are built under inference_mode."""
import torch
from torch import nn


class RotaryEmbedding(nn.Module):
    def __init__(self, dim, base=10000.0):
        super().__init__()
        inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim))
        self.register_buffer("inv_freq", inv_freq, persistent=False)
        self.max_len = 0

    @torch.inference_mode()
    def _build(self, seq_len, device):
        t = torch.arange(seq_len, device=device, dtype=self.inv_freq.dtype)
        freqs = torch.outer(t, self.inv_freq)
        emb = torch.cat((freqs, freqs), dim=-1)
        self.cos_cached = emb.cos()  # expect: NG009
        self.sin_cached = emb.sin()  # expect: NG009
        self.max_len = seq_len

    def forward(self, q, k):
        if q.size(-2) > self.max_len:
            self._build(q.size(-2), q.device)
        cos, sin = self.cos_cached[: q.size(-2)], self.sin_cached[: q.size(-2)]
        return q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)
