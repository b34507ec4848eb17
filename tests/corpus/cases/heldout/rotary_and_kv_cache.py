# corpus: NG009
"""Rotary embedding cache built under no_grad (fine) and a KV-cache warm-up built under inference_mode (escapes)."""
import torch
from torch import nn


class RotaryEmbedding(nn.Module):
    def __init__(self, dim, max_seq_len=2048, base=10000.0):
        super().__init__()
        inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim))
        self.register_buffer("inv_freq", inv_freq, persistent=False)
        self._set_cos_sin_cache(max_seq_len)

    @torch.no_grad()
    def _set_cos_sin_cache(self, seq_len):
        self.max_seq_len_cached = seq_len
        t = torch.arange(seq_len, device=self.inv_freq.device, dtype=self.inv_freq.dtype)
        freqs = torch.outer(t, self.inv_freq)
        emb = torch.cat((freqs, freqs), dim=-1)
        self.register_buffer("cos_cached", emb.cos(), persistent=False)
        self.register_buffer("sin_cached", emb.sin(), persistent=False)

    def forward(self, x, seq_len):
        if seq_len > self.max_seq_len_cached:
            self._set_cos_sin_cache(seq_len)
        return self.cos_cached[:seq_len].to(x.dtype), self.sin_cached[:seq_len].to(x.dtype)


class Decoder(nn.Module):
    def __init__(self, layers, dim):
        super().__init__()
        self.layers = nn.ModuleList(layers)
        self.dim = dim

    @torch.inference_mode()
    def warmup(self, batch_size, max_len, device):
        shape = (batch_size, max_len, self.dim)
        self.k_cache = torch.zeros(shape, device=device)  # expect: NG009
        self.v_cache = torch.zeros(shape, device=device)  # expect: NG009

    def forward(self, x, start_pos=0):
        for layer in self.layers:
            x = layer(x, self.k_cache, self.v_cache, start_pos)
        return x


@torch.inference_mode()
def generate(model, tokens, steps):
    for _ in range(steps):
        logits = model(tokens)[:, -1]
        tokens = torch.cat([tokens, logits.argmax(-1, keepdim=True)], dim=1)
    return tokens
