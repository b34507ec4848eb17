# corpus: NG009
"""A serving wrapper that can turn inference mode off to allow fine-tuning on the cache."""
import torch


class CachingEncoder:
    def __init__(self, encoder, trainable=False):
        self.encoder = encoder
        self.trainable = trainable
        self.cache = {}

    def encode(self, key, x):
        with torch.inference_mode(False):
            self.cache[key] = self.encoder(x)
        with torch.no_grad():
            self.last = self.encoder(x)
        return self.cache[key]
