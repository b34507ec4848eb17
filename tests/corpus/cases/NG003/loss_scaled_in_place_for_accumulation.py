# corpus: NG003
"""Gradient accumulation with mixed precision: each micro-batch's loss is divided in place by the
number of accumulation steps, backpropagated through the grad scaler, and then added to an epoch
total as it is. The in-place division leaves `loss` the same graph-carrying tensor, so the total
holds every micro-batch's graph. The second loop does the same and keeps only `.item()`."""
import torch


def train_epoch(model, loader, criterion, optimizer, scaler, accumulation):
    epoch_total = 0.0
    for step, (images, targets) in enumerate(loader):
        with torch.autocast("cpu"):
            loss = criterion(model(images), targets)
            loss /= accumulation
        scaler.scale(loss).backward()
        if (step + 1) % accumulation == 0:
            scaler.step(optimizer)
            scaler.update()
            optimizer.zero_grad()
        epoch_total += loss  # expect: NG003
    return epoch_total


def train_epoch_logged(model, loader, criterion, optimizer, scaler, accumulation):
    epoch_total = 0.0
    for step, (images, targets) in enumerate(loader):
        with torch.autocast("cpu"):
            loss = criterion(model(images), targets)
            loss /= accumulation
        scaler.scale(loss).backward()
        if (step + 1) % accumulation == 0:
            scaler.step(optimizer)
            scaler.update()
            optimizer.zero_grad()
        epoch_total += loss.item()
    return epoch_total
