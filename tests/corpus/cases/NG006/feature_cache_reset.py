# corpus: NG006
"""A streaming encoder that caches the last chunk's features for the next chunk's attention.

`reset` and `step` mean to cut the graph between chunks, but the detached copies are thrown
away, so the cache (and every chunk's graph behind it) stays attached."""
import torch
from torch import nn


class StreamingEncoder(nn.Module):
    def __init__(self, dim: int):
        super().__init__()
        self.encoder = nn.GRU(dim, dim, batch_first=True)
        self.stream_state = None
        self.cache = torch.zeros(1, 1, dim)

    def reset(self):
        self.cache.detach()  # expect: NG006
        self.stream_state = None

    def step(self, chunk):
        out, state = self.encoder(torch.cat([self.cache.expand(chunk.size(0), -1, -1), chunk], 1))
        stream = state
        stream.detach()  # expect: NG006
        self.stream_state = stream
        self.cache = out[:, -1:]
        return out
