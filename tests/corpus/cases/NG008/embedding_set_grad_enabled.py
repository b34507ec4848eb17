# corpus: NG008
"""Token + position embedding; forward decorated with set_grad_enabled(False)."""
import torch
import torch.nn as nn


class Embeddings(nn.Module):
    def __init__(self, vocab_size, dim, max_len=512):
        super().__init__()
        self.tokens = nn.Embedding(vocab_size, dim)
        self.positions = nn.Embedding(max_len, dim)

    @torch.set_grad_enabled(False)  # expect: NG008
    def forward(self, ids):
        pos = torch.arange(ids.size(1), device=ids.device)
        return self.tokens(ids) + self.positions(pos)[None]
