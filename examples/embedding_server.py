"""A small embedding service: encodes texts with a sentence encoder, caches embeddings, and
lets an online "adapter" be fine-tuned on user feedback without restarting the server.

This file has grad-mode bugs that nogradlint finds; each is marked with a `# BUG NGxxx` comment.
"""

from __future__ import annotations

import hashlib
import threading

import torch
import torch.nn as nn
import torch.nn.functional as F

_EMBEDDING_CACHE: dict[str, torch.Tensor] = {}
_LOCK = threading.Lock()


class Adapter(nn.Module):
    """A residual linear adapter on top of frozen embeddings; trained online."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.proj = nn.Linear(dim, dim)
        nn.init.zeros_(self.proj.weight)
        nn.init.zeros_(self.proj.bias)

    def forward(self, e: torch.Tensor) -> torch.Tensor:
        return F.normalize(e + self.proj(e), dim=-1)


class EmbeddingService:
    def __init__(self, encoder: nn.Module, tokenizer, dim: int = 384) -> None:
        self.encoder = encoder.eval().requires_grad_(False)
        self.tokenizer = tokenizer
        self.adapter = Adapter(dim)
        self.optimizer = torch.optim.Adam(self.adapter.parameters(), lr=1e-3)
        self.anchors = None

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    @torch.inference_mode()
    def encode(self, texts: list[str]) -> torch.Tensor:
        missing = [t for t in texts if self._key(t) not in _EMBEDDING_CACHE]
        if missing:
            batch = self.tokenizer(missing, padding=True, truncation=True, return_tensors="pt")
            out = self.encoder(**batch).last_hidden_state.mean(1)
            with _LOCK:
                for text, emb in zip(missing, out):
                    _EMBEDDING_CACHE[self._key(text)] = emb  # BUG NG009: an inference tensor in a module-level cache; backward through it fails later
        return torch.stack([_EMBEDDING_CACHE[self._key(t)] for t in texts])

    @torch.inference_mode()
    def set_anchors(self, texts: list[str]) -> None:
        self.anchors = self.encode(texts)  # BUG NG009: stored on the service and later used in training

    def search(self, query: str, k: int = 5) -> list[int]:
        with torch.inference_mode():
            q = self.adapter(self.encode([query]))
            scores = q @ self.adapter(self.anchors).T
            return scores.topk(k).indices[0].tolist()

    def feedback(self, query: str, positive: str, negative: str, margin: float = 0.2) -> float:
        """Online fine-tuning of the adapter from a (query, positive, negative) triple."""
        q, p, n = self.adapter(self.encode([query, positive, negative]))
        loss = F.relu(margin - (q * p).sum() + (q * n).sum())
        if self.anchors is not None:  # keep the adapted space close to the curated anchors
            anchors = self.adapter(self.anchors)
            loss = loss + 0.1 * (1 - (anchors * F.normalize(self.anchors, dim=-1)).sum(-1)).mean()
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss.item()

    def handle_batch(self, requests: list[dict]) -> list[list[int]]:
        torch.inference_mode().__enter__()  # BUG NG006: the guard is dropped at once, so inference mode ends on this line
        results = [self.search(r["query"], r.get("k", 5)) for r in requests]
        return results


def build_service(model_name: str = "sentence-transformers/all-MiniLM-L6-v2") -> EmbeddingService:
    from transformers import AutoModel, AutoTokenizer

    return EmbeddingService(AutoModel.from_pretrained(model_name), AutoTokenizer.from_pretrained(model_name))
