# corpus: NG006, NG001
"""Evaluation script where the author meant to disable grad but only created the context manager."""
import torch
from torch.utils.data import DataLoader


def evaluate(model, dataset, device="cpu"):
    loader = DataLoader(dataset, batch_size=64)
    model.eval()
    torch.no_grad()  # expect: NG006
    correct = 0
    for images, labels in loader:  # expect: NG001 (the no-op no_grad() leaves grad on)
        images, labels = images.to(device), labels.to(device)
        logits = model(images)
        correct += (logits.argmax(dim=1) == labels).sum().item()
    return correct / len(dataset)
