# corpus: NG012
"""Every few steps the loop validates (which switches the model back to train mode at its end)
and then prints a sample (which leaves it in eval mode): the restore comes before the switch, so
the next steps train in eval mode. A second loop prints the sample first and validates after."""
import torch
from torch import nn


def validate(model, batches):
    model.eval()
    with torch.no_grad():
        total = sum(nn.functional.mse_loss(model(x), y).item() for x, y in batches)
    model.train()
    return total


@torch.no_grad()
def sample(model, x):
    model.eval()
    print(model(x[:1]))


def fit(model, loader, val, optimizer):
    for step, (x, y) in enumerate(loader):
        loss = nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % 100 == 0:
            print(validate(model, val))
            sample(model, x)  # expect: NG012


def fit_ordered(model, loader, val, optimizer):
    for step, (x, y) in enumerate(loader):
        loss = nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % 100 == 0:
            sample(model, x)
            print(validate(model, val))
