# corpus: NG017
# The averaged copy is evaluated; it is never trained by backpropagation in this function.
import copy

import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(10, 2)
        self.drop = nn.Dropout(0.5)

    def forward(self, x):
        return self.fc(self.drop(x))


def fit(loader, val_loader):
    net = Net()
    average = copy.deepcopy(net)
    opt = torch.optim.Adam(net.parameters())
    for x, y in loader:
        opt.zero_grad()
        nn.functional.cross_entropy(net(x), y).backward()
        opt.step()
        with torch.no_grad():
            for a, p in zip(average.parameters(), net.parameters()):
                a.mul_(0.99).add_(p, alpha=0.01)
    average.eval()
    with torch.no_grad():
        return [average(x) for x, _ in val_loader]
