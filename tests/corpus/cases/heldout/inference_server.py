# corpus: NG001, NG005, NG009
"""A small model server: inference_mode everywhere, results leave as Python data (correct) except one cache."""
import threading
from functools import lru_cache

import torch

_EMBED_CACHE = {}


class Predictor:
    def __init__(self, model, labels, device="cpu"):
        self.model = model.to(device).eval()
        self.labels = labels
        self.device = device
        self.lock = threading.Lock()
        self.latencies = []

    @torch.inference_mode()
    def predict(self, batch):
        logits = self.model(batch.to(self.device))
        probs = logits.softmax(-1)
        top = probs.topk(3, dim=-1)
        return [
            [(self.labels[i], float(p)) for p, i in zip(row_p.tolist(), row_i.tolist())]
            for row_p, row_i in zip(top.values, top.indices)
        ]

    @torch.inference_mode()
    def predict_many(self, batches):
        return [self.predict(b) for b in batches]

    def warmup(self, example, n=3):
        for _ in range(n):
            self.predict(example)


@torch.inference_mode()
def embed(model, key, tokens):
    if key not in _EMBED_CACHE:
        _EMBED_CACHE[key] = model.encode(tokens)  # expect: NG009
    return _EMBED_CACHE[key]


@lru_cache(maxsize=1024)
def embed_text(model, text):
    with torch.inference_mode():
        return tuple(model.encode_text(text).squeeze(0).tolist())
