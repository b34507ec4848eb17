# corpus: NG003
"""Regression script with an epoch loop around the batch loop."""
import torch
from torch import nn

net = nn.Sequential(nn.Linear(13, 64), nn.ReLU(), nn.Linear(64, 1))
optimizer = torch.optim.SGD(net.parameters(), lr=1e-2, momentum=0.9)
loss_fn = nn.MSELoss()


def fit(loader, epochs=20):
    curve = []
    for epoch in range(epochs):
        epoch_loss = 0
        for x, y in loader:
            optimizer.zero_grad()
            pred = net(x)
            loss = loss_fn(pred, y)
            loss.backward()
            optimizer.step()
            epoch_loss += loss  # expect: NG003
        curve.append(float(epoch_loss) / len(loader))
    return curve
