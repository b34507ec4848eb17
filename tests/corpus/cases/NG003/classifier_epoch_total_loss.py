# corpus: NG003, NG004, NG007
"""Image classifier training: the epoch loss is summed as a tensor, so every batch's graph is kept."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader


def train_one_epoch(model: nn.Module, loader: DataLoader, optimizer, device="cuda"):
    model.train()
    total_loss = 0.0
    seen = 0
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad(set_to_none=True)
        logits = model(images)
        loss = F.cross_entropy(logits, labels, label_smoothing=0.1)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        optimizer.step()
        total_loss += loss * images.size(0)  # expect: NG003
        seen += images.size(0)
    return total_loss / max(seen, 1)
