"""Score sentences with a trained sentiment classifier.

Usage: python examples/predict_sentiment.py sentiment.pt "a slow, wonderful film"

This script has a grad-mode bug that nogradlint finds; it is marked with a `# BUG NG017` comment.
"""

from __future__ import annotations

import sys

import torch
import torch.nn as nn


class BagOfWords(nn.Module):
    def __init__(self, vocab_size: int, dim: int = 64, classes: int = 2) -> None:
        super().__init__()
        self.embed = nn.EmbeddingBag(vocab_size, dim)
        self.drop = nn.Dropout(0.5)
        self.out = nn.Linear(dim, classes)

    def forward(self, tokens: torch.Tensor, offsets: torch.Tensor) -> torch.Tensor:
        return self.out(self.drop(self.embed(tokens, offsets)))


def encode(sentences: list[str], vocab_size: int) -> tuple[torch.Tensor, torch.Tensor]:
    ids = [[hash(word) % vocab_size for word in s.lower().split()] for s in sentences]
    offsets = torch.tensor([0] + [len(x) for x in ids[:-1]]).cumsum(0)
    return torch.tensor([i for x in ids for i in x]), offsets


def main() -> None:
    checkpoint, *sentences = sys.argv[1:]
    classifier = BagOfWords(vocab_size=20_000)
    classifier.load_state_dict(torch.load(checkpoint, map_location="cpu"))
    tokens, offsets = encode(sentences, 20_000)
    with torch.no_grad():
        probs = classifier(tokens, offsets).softmax(-1)  # BUG NG017: dropout still drops half the features
    for sentence, p in zip(sentences, probs[:, 1].tolist()):
        print(f"{p:.2f}  {sentence}")


if __name__ == "__main__":
    main()
