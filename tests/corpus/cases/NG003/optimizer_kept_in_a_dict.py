# corpus: NG003
"""A training script keeps its networks and optimizers in one dict and steps the optimizer through
it (`bag["optimizer"].step()`). The loop trains, and summing the loss tensor keeps every
iteration's graph alive."""
import torch


def train_epoch(loader, bag, criterion):
    total_loss = 0.0
    seen = 0
    for images, labels in loader:
        bag["optimizer"].zero_grad()
        loss = criterion(bag["network"](images), labels)
        loss.backward()
        bag["optimizer"].step()
        total_loss += loss  # expect: NG003
        seen += 1
    return total_loss / max(seen, 1)
