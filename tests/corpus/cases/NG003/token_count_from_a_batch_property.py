# corpus: NG003
"""A fine-tuning loop counts the tokens it trained on through a batch property that returns a Python
int (`int(mask.sum())`); the batches come from a collate function built by a factory, whose result
the analysis cannot type. The count keeps no graph. The loss of the last micro-batch of every step
is kept for a plot, with its graph."""
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import Tensor


@dataclass
class Batch:
    input_ids: Tensor
    attention_mask: Tensor

    def to(self, device) -> "Batch":
        return Batch(self.input_ids.to(device), self.attention_mask.to(device))

    @property
    def num_tokens(self) -> int:
        return int(self.attention_mask.sum())


def make_collate(rows: list[Tensor]) -> tuple[Callable[[list[int]], Batch], int]:
    def collate(indices: list[int]) -> Batch:
        x = torch.stack([rows[i] for i in indices])
        return Batch(x, torch.ones_like(x))
    return collate, len(rows)


def train(model, rows, optimizer, steps, device):
    collate, n = make_collate(rows)
    tokens = 0
    curve = []
    for step in range(steps):
        optimizer.zero_grad()
        micro_batches = [collate([i % n, (i + 1) % n]) for i in range(4)]
        for batch in micro_batches:
            batch = batch.to(device)
            loss = model(batch.input_ids.float()).mean()
            loss.backward()
            tokens += batch.num_tokens
        optimizer.step()
        curve.append(loss)  # expect: NG003
    return tokens, curve
