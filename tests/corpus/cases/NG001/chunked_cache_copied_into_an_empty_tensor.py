# corpus: NG001
# An item tower builds its embedding cache chunk by chunk, copying each chunk into a tensor
# allocated empty: `copy_` carries the chunks' graph into the cache, which is returned (training
# may backpropagate through it). `_scores` copies `.detach()`-ed chunks and returns numbers.
import torch
from torch import nn


class ItemTower(nn.Module):
    def __init__(self, n_items, dim):
        super().__init__()
        self.items = nn.Embedding(n_items, dim)
        self.encoder = nn.Linear(dim, dim)

    def _encode_rows(self, rows):
        return self.encoder(self.items.weight[rows])

    def _build_chunked_cache(self, item_count, chunk):
        first = self._encode_rows(slice(0, chunk))
        cache = first.new_empty((item_count, *first.shape[1:]))
        cache[:chunk].copy_(first)
        for start in range(chunk, item_count, chunk):
            cache[start:start + chunk].copy_(self._encode_rows(slice(start, start + chunk)))
        return cache

    def _scores(self, item_count, chunk, query):
        scores = torch.empty(item_count)
        for start in range(0, item_count, chunk):  # expect: NG001
            block = self._encode_rows(slice(start, start + chunk))
            scores[start:start + chunk].copy_((block @ query).detach())
        return scores.tolist()
