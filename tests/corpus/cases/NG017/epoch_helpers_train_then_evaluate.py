# corpus: NG017
"""The quickstart's epoch loop calls a training helper, which loops over the whole training set,
then a test helper that evaluates under `no_grad`: nothing puts the network, which has dropout, in
eval mode, so the test accuracy is measured with dropout on. A step helper called per batch, with a
teacher forward beside it, is training in progress, not evaluation."""
import torch
from torch import nn


class QuickstartNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.stack = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.3), nn.Linear(256, 10))

    def forward(self, x):
        return self.stack(x)


def train_loop(loader, model, loss_fn, optimizer):
    for x, y in loader:
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def test_loop(loader, model, loss_fn):
    total = 0.0
    with torch.no_grad():
        for x, y in loader:
            total += loss_fn(model(x), y).item()  # expect: NG017
    return total / len(loader)


def train_step(model, x, y, loss_fn, optimizer):
    loss = loss_fn(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


def distill(student, teacher, loader, loss_fn, optimizer):
    for x, _ in loader:
        with torch.no_grad():
            soft = teacher(x).argmax(1)
        train_step(student, x, soft, loss_fn, optimizer)


def main(train_data, test_data, epochs=5):
    model = QuickstartNetwork()
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
    for _ in range(epochs):
        train_loop(train_data, model, loss_fn, optimizer)
        print(test_loop(test_data, model, loss_fn))
