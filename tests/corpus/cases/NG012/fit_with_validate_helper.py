# corpus: NG012, NG001
"""train.py: model.train() once before the epochs, validation helper switches to eval."""
import torch
import torch.nn.functional as F


def validate(model, loader, device):
    model.eval()
    total, correct = 0, 0
    with torch.no_grad():
        for x, y in loader:
            pred = model(x.to(device)).argmax(1)
            correct += (pred == y.to(device)).sum().item()
            total += y.numel()
    return correct / total


def fit(model, train_loader, val_loader, optimizer, scheduler, epochs, device):
    model.train()
    best = 0.0
    for epoch in range(epochs):
        for x, y in train_loader:
            x, y = x.to(device), y.to(device)
            loss = F.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        scheduler.step()
        acc = validate(model, val_loader, device)  # expect: NG012
        if acc > best:
            best = acc
            torch.save(model.state_dict(), "best.pt")
    return best
