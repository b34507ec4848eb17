# corpus: NG001
"""The trainer wraps evaluation in no_grad..."""
import torch

from .evaluation import evaluate


def fit(model, loader, val_loader, optimizer, epochs):
    for _ in range(epochs):
        model.train()
        for x, y in loader:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
        with torch.no_grad():
            print("val", evaluate(model, val_loader))
