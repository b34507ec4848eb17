# corpus: NG001, NG012
"""Reference implementation: evaluation wrapped in torch.no_grad()."""
import torch
from torch import nn


@torch.no_grad()
def validate(model, loader, device):
    model.eval()
    criterion = nn.CrossEntropyLoss(reduction="sum")
    loss, correct, n = 0.0, 0, 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        out = model(x)
        loss += criterion(out, y).item()
        correct += out.argmax(1).eq(y).sum().item()
        n += y.numel()
    return loss / n, correct / n


def test(model, loader, device):
    model.eval()
    predictions = []
    with torch.inference_mode():
        for x, _ in loader:
            predictions.append(model(x.to(device)).argmax(1).cpu())
    return torch.cat(predictions)


def train(model, loader, val_loader, optimizer, epochs, device):
    for epoch in range(epochs):
        model.train()
        for x, y in loader:
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(x.to(device)), y.to(device))
            loss.backward()
            optimizer.step()
        print(epoch, validate(model, val_loader, device))
