# corpus: NG012
"""Validation written in the `else:` clause of the batch loop, which runs once after the last batch.
The first trainer switches back to train mode at the top of every epoch, so each epoch trains in
train mode. The second puts the model in train mode only once, before the epochs: from the second
epoch on it trains in eval mode."""
import torch
from torch import nn


def fit(model, optimizer, train_batches, val_batches, epochs=3):
    for epoch in range(epochs):
        model.train()
        for x, y in train_batches:
            optimizer.zero_grad()
            nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
        else:
            model.eval()
            with torch.no_grad():
                val = sum(nn.functional.mse_loss(model(x), y).item() for x, y in val_batches)
            print(epoch, val)


def fit_once(model, optimizer, train_batches, val_batches, epochs=3):
    model.train()
    for epoch in range(epochs):
        for x, y in train_batches:
            optimizer.zero_grad()
            nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
        else:
            model.eval()  # expect: NG012
            with torch.no_grad():
                val = sum(nn.functional.mse_loss(model(x), y).item() for x, y in val_batches)
            print(epoch, val)
