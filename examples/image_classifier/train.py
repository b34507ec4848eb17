"""Train a ResNet-18 on CIFAR-10 and evaluate it after every epoch.

Usage: python examples/image_classifier/train.py --data ./data --epochs 30

This script has grad-mode bugs that nogradlint finds; each is marked with a `# BUG NGxxx` comment.
"""

from __future__ import annotations

import argparse
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from torchvision.models import resnet18


def build_loaders(root: str, batch_size: int) -> tuple[DataLoader, DataLoader]:
    normalize = transforms.Normalize((0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616))
    train_tf = transforms.Compose([
        transforms.RandomCrop(32, padding=4),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        normalize,
    ])
    test_tf = transforms.Compose([transforms.ToTensor(), normalize])
    train_set = datasets.CIFAR10(root, train=True, download=True, transform=train_tf)
    test_set = datasets.CIFAR10(root, train=False, download=True, transform=test_tf)
    return (
        DataLoader(train_set, batch_size=batch_size, shuffle=True, num_workers=4, pin_memory=True),
        DataLoader(test_set, batch_size=2 * batch_size, shuffle=False, num_workers=4),
    )


def evaluate(model: nn.Module, loader: DataLoader, device: torch.device) -> tuple[float, float]:
    """Top-1 accuracy and mean loss on a held-out set."""
    model.eval()
    correct, total, loss_sum = 0, 0, 0.0
    for images, labels in loader:  # BUG NG001: activations of every batch are kept for a backward that never comes
        images, labels = images.to(device), labels.to(device)
        logits = model(images)
        loss_sum += F.cross_entropy(logits, labels, reduction="sum").item()
        correct += (logits.argmax(dim=1) == labels).sum().item()
        total += labels.numel()
    return correct / total, loss_sum / total


def sanity_check(model: nn.Module, loader: DataLoader, device: torch.device) -> None:
    """Run one batch through the model before training starts (catches shape errors early)."""
    torch.no_grad()  # BUG NG006: creates the context manager and throws it away
    images, _ = next(iter(loader))
    out = model(images.to(device))
    assert out.shape[-1] == 10, out.shape


def train_one_epoch(model, loader, val_loader, optimizer, scheduler, device, epoch, log_every=100):
    model.train()
    epoch_loss = 0.0
    history = []
    start = time.time()
    for step, (images, labels) in enumerate(loader):
        images, labels = images.to(device, non_blocking=True), labels.to(device, non_blocking=True)
        logits = model(images)
        loss = F.cross_entropy(logits, labels, label_smoothing=0.1)

        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        scheduler.step()

        epoch_loss += loss  # BUG NG003: keeps every iteration's graph alive until the epoch ends
        history.append(loss.item())  # fine: a Python float
        if step % log_every == 0:
            acc, val_loss = evaluate(model, val_loader, device)  # BUG NG012: evaluate() leaves the model in eval mode
            print(f"epoch {epoch} step {step}: loss {loss.item():.3f} val_acc {acc:.3f} "
                  f"({time.time() - start:.0f}s)")
    return epoch_loss / len(loader), history


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="./data")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, default=0.1)
    args = parser.parse_args()

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    train_loader, test_loader = build_loaders(args.data, args.batch_size)
    model = resnet18(num_classes=10).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=5e-4, nesterov=True)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=args.lr, epochs=args.epochs, steps_per_epoch=len(train_loader)
    )
    sanity_check(model, train_loader, device)
    best = 0.0
    for epoch in range(args.epochs):
        mean_loss, _ = train_one_epoch(model, train_loader, test_loader, optimizer, scheduler, device, epoch)
        acc, _ = evaluate(model, test_loader, device)
        print(f"epoch {epoch}: train loss {float(mean_loss):.3f}, test accuracy {acc:.3%}")
        if acc > best:
            best = acc
            torch.save(model.state_dict(), "resnet18_cifar10.pt")


if __name__ == "__main__":
    main()
