# corpus: NG017
"""A training function takes its network as a parameter, so the file cannot say what class it is;
but it calls `net.train()` at the top of every epoch, and the accuracy helper it calls after each
epoch runs the network under no_grad without ever putting it in eval mode. A second trainer, which
never switches modes, is left alone: its network may have neither dropout nor batch norm."""
import torch
import torch.nn.functional as F


def accuracy(net, loader):
    hits = total = 0
    for x, y in loader:
        with torch.no_grad():
            out = net(x)  # expect: NG017
        hits += (out.argmax(1) == y).sum().item()
        total += y.numel()
    return hits / total


def train(net, optimizer, loader, val_loader, epochs):
    for epoch in range(epochs):
        net.train()
        for x, y in loader:
            optimizer.zero_grad()
            F.cross_entropy(net(x), y).backward()
            optimizer.step()
        print(epoch, accuracy(net, val_loader))


def score(net, loader):
    with torch.no_grad():
        return [net(x).argmax(1) for x, _ in loader]


def train_plain(net, optimizer, loader, val_loader, epochs):
    for epoch in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            F.cross_entropy(net(x), y).backward()
            optimizer.step()
        print(epoch, score(net, val_loader))
