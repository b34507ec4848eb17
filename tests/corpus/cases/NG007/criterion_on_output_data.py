# corpus: NG007, NG003
"""Segmentation training step where the loss is computed from the logits' .data."""
import torch
import torch.nn as nn


def train_epoch(model, loader, optimizer, device="cuda"):
    criterion = nn.CrossEntropyLoss(ignore_index=255)
    model.train()
    running = 0.0
    for images, masks in loader:
        images, masks = images.to(device), masks.to(device)
        output = model(images)["out"]
        loss = criterion(output.data, masks)  # expect: NG007
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running += loss.item()
    return running / len(loader)
