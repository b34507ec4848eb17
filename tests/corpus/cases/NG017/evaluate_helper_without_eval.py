# corpus: NG017
# The evaluation helper never switches modes, and the training code calls it right after training.
import torch
import torch.nn as nn


class Regressor(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 1))

    def forward(self, x):
        return self.layers(x)


def mean_error(regressor, loader):
    total = 0.0
    with torch.no_grad():
        for x, y in loader:
            total += (regressor(x) - y).abs().mean().item()  # expect: NG017
    return total / len(loader)


def main(train_loader, val_loader):
    regressor = Regressor()
    opt = torch.optim.Adam(regressor.parameters())
    for epoch in range(5):
        for x, y in train_loader:
            opt.zero_grad()
            ((regressor(x) - y) ** 2).mean().backward()
            opt.step()
        print(mean_error(regressor, val_loader))
