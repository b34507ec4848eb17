# corpus: NG001
"""Bucketed evaluation where the batch reaches the model through a comprehension."""
import torch


def bucket_accuracy(model, buckets):
    model.eval()
    hits = total = 0
    for length, items in buckets.items():  # expect: NG001
        logits = model([text for text, _ in items])
        gold = torch.tensor([label for _, label in items])
        hits += (logits.argmax(1) == gold).sum().item()
        total += len(items)
    return hits / max(total, 1)
