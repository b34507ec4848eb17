# corpus: NG017
# The helper switches to eval mode itself, through a mode helper of the file.
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(10, 2)
        self.bn = nn.BatchNorm1d(10)

    def forward(self, x):
        return self.fc(self.bn(x))


def set_mode(models, mode):
    for m in models:
        if mode == "eval":
            m.eval()
        else:
            m.train()


def score(net, loader):
    set_mode([net], "eval")
    with torch.no_grad():
        return [net(x) for x, _ in loader]


def fit(loader, val_loader):
    net = Net()
    opt = torch.optim.Adam(net.parameters())
    for epoch in range(3):
        set_mode([net], "train")
        for x, y in loader:
            opt.zero_grad()
            nn.functional.cross_entropy(net(x), y).backward()
            opt.step()
        score(net, val_loader)
