# corpus: NG006, NG001
"""Evaluation helpers with grad-mode calls that do nothing."""
import torch


def evaluate(model, loader):
    model.eval()
    torch.no_grad()  # expect: NG006
    correct = 0
    for x, y in loader:  # expect: NG001
        correct += (model(x).argmax(1) == y).sum().item()
    return correct / len(loader.dataset)


def embed_all(model, loader):
    with torch.no_grad:  # expect: NG006
        return torch.cat([model(x) for x, _ in loader])


def tbptt(model, loader, optimizer, criterion, bptt=35):
    hidden = model.init_hidden(loader.batch_size)
    for data, targets in loader:
        hidden.detach()  # expect: NG006
        output, hidden = model(data, hidden)
        loss = criterion(output, targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
