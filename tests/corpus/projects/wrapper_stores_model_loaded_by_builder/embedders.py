# corpus: NG017
"""Inference wrappers around the encoder. The first stores what the project's builder returns
(restored from a checkpoint by a helper of the builder) and runs it under `no_grad` in every
call, but nothing ever puts it in eval mode: dropout keeps zeroing activations, and embeddings
change from call to call (reported where `__init__` stores it, where the `.eval()` belongs). The
second runs submodules of a model of that kind, and reads its tokenizer, in the same state. The script-level scorer does the same with a local. The others are fine:
one switches the model to eval mode in `__init__`, one has a method that does (its users call
it), one wraps a builder that returns the model already in eval mode, and one stores a model no
one loaded weights into (an untrained encoder is no evaluation)."""
import torch

from nets import build_encoder, build_pair, fresh_encoder, frozen_encoder


class Embedder:
    def __init__(self, path, device):
        model = build_encoder(weights=path)
        self.model = model.to(device)  # expect: NG017
        self.device = device

    @torch.no_grad()
    def embed(self, x):
        return self.model(x.to(self.device))


class PartsEmbedder:
    def __init__(self, path):
        model = build_pair(weights=path)
        self.pair = model  # expect: NG017

    @torch.no_grad()
    def embed_text(self, ids):
        tokens = self.pair.tokenizer(ids)
        return self.pair.text(tokens)

    @torch.no_grad()
    def embed_image(self, pixels):
        return self.pair.image(pixels)


class MethodEmbedder:
    def __init__(self, path):
        self.pair = build_pair(weights=path)

    @torch.no_grad()
    def embed_image(self, pixels):
        return self.pair.embed_pixels(pixels)


class EvalEmbedder:
    def __init__(self, path, device):
        model = build_encoder(weights=path)
        self.model = model.to(device)
        self.model.eval()

    @torch.no_grad()
    def embed(self, x):
        return self.model(x)


class SwitchingEmbedder:
    def __init__(self, path):
        self.model = build_encoder(weights=path)

    def ready(self):
        self.model.eval()
        return self

    @torch.no_grad()
    def embed(self, x):
        return self.model(x)


class FrozenEmbedder:
    def __init__(self, path):
        self.model = frozen_encoder(path)

    @torch.no_grad()
    def embed(self, x):
        return self.model(x)


class RandomEmbedder:
    def __init__(self):
        self.model = fresh_encoder()

    @torch.no_grad()
    def embed(self, x):
        return self.model(x)


def score(path, batch):
    model = build_encoder(path)
    with torch.no_grad():
        return model(batch)  # expect: NG017
