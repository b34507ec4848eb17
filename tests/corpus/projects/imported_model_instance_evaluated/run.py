# corpus: NG001
"""A training script that imports the project's shared model instance. `test` puts it in eval mode
and runs it over the test set with gradients on, keeping only numbers; `validate` evaluates under
`no_grad`. The imported loss function `F.nll_loss` is no model."""
import torch
import torch.nn.functional as F

from architecture.network import model


def train(loader, optimizer):
    model.train()
    for data, target in loader:
        optimizer.zero_grad()
        F.nll_loss(model(data), target).backward()
        optimizer.step()


def test(loader):
    model.eval()
    loss = 0.0
    for data, target in loader:  # expect: NG001
        output = model(data)
        loss += F.nll_loss(output, target, reduction="sum").item()
    return loss / len(loader.dataset)


def validate(loader):
    model.eval()
    correct = 0
    with torch.no_grad():
        for data, target in loader:
            correct += (model(data).argmax(-1) == target).sum().item()
    return correct
