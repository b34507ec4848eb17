# corpus: NG009, NG005
"""An embedding service that memoises text embeddings in a module-level dict."""
import hashlib

import torch

_EMBEDDINGS = {}


def _key(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def embed(encoder, tokenizer, text: str):
    key = _key(text)
    if key in _EMBEDDINGS:
        return _EMBEDDINGS[key]
    with torch.inference_mode():
        tokens = tokenizer(text, return_tensors="pt")
        vector = encoder(**tokens).last_hidden_state.mean(dim=1)
        _EMBEDDINGS[key] = vector  # expect: NG009
    return vector
