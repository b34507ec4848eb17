# corpus: NG017
"""An experiment script with no class of its own: `get_model` picks a model class of the project by
name, `train` puts the model in train mode and trains it for an epoch, and `test` evaluates it under
`no_grad` without `model.eval()`, so batch norm and dropout still behave as in training. `score`
switches the model to eval mode first."""
import torch

from models.recommenders import *


def get_model(name, fields):
    if name == "wd":
        return WideAndDeep(fields)
    return FactorizationMachine(fields)


def train(model, optimizer, loader, criterion):
    model.train()
    for x, y in loader:
        loss = criterion(model(x), y.float())
        model.zero_grad()
        loss.backward()
        optimizer.step()


def test(model, loader):
    hits = 0
    with torch.no_grad():
        for x, y in loader:
            hits += ((model(x) > 0.5) == y).sum().item()  # expect: NG017
    return hits


def score(model, loader):
    model.eval()
    with torch.no_grad():
        return sum(((model(x) > 0.5) == y).sum().item() for x, y in loader)


if __name__ == "__main__":
    loader = [(torch.randint(0, 10, (8, 3)), torch.randint(0, 2, (8,))) for _ in range(4)]
    model = get_model("wd", 10).to("cpu")
    optimizer = torch.optim.Adam(model.parameters())
    for epoch in range(3):
        train(model, optimizer, loader, torch.nn.BCELoss())
        print(test(model, loader), score(model, loader))
