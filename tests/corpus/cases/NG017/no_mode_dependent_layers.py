# corpus: NG017
# The model has no dropout and no batch norm: eval() would change nothing.
import torch
import torch.nn as nn


class LinearProbe(nn.Module):
    def __init__(self, d, k):
        super().__init__()
        self.fc1 = nn.Linear(d, 64)
        self.fc2 = nn.Linear(64, k)

    def forward(self, x):
        return self.fc2(torch.tanh(self.fc1(x)))


def fit(loader, val_loader):
    probe = LinearProbe(128, 4)
    opt = torch.optim.Adam(probe.parameters())
    for x, y in loader:
        opt.zero_grad()
        nn.functional.cross_entropy(probe(x), y).backward()
        opt.step()
    with torch.no_grad():
        return [probe(x).argmax(1) for x, _ in val_loader]
