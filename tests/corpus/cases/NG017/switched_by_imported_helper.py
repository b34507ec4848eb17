# corpus: NG017
# The model goes through a helper of another package before validation: it may switch the mode.
import torch
import torch.nn as nn

from toolkit.modes import prepare_for_validation


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(10, 2)
        self.drop = nn.Dropout(0.5)

    def forward(self, x):
        return self.fc(self.drop(x))


def fit(loader, val_loader):
    net = Net()
    opt = torch.optim.Adam(net.parameters())
    for x, y in loader:
        opt.zero_grad()
        nn.functional.cross_entropy(net(x), y).backward()
        opt.step()
    prepare_for_validation(net)
    with torch.no_grad():
        return [net(x) for x, _ in val_loader]
