# corpus: NG003
"""A model's forward returns its loss together with statistics it has already turned into Python
floats or detached tensors. Summing those in the training loop keeps nothing alive; summing the
loss itself keeps every batch's graph."""
import torch
from torch import nn


class Autoencoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.encode = nn.Linear(8, 2)
        self.decode = nn.Linear(2, 8)

    def forward(self, x):
        code = self.encode(x)
        loss = (self.decode(code) - x).pow(2).mean()
        sparsity = (code.abs() < 1e-3).float().mean().item()
        return loss, sparsity, loss.data


def fit(loader, epochs=3):
    model = Autoencoder()
    optimizer = torch.optim.Adam(model.parameters())
    for _ in range(epochs):
        total_loss, total_sparsity, total_plain = 0.0, 0.0, 0.0
        for x in loader:
            optimizer.zero_grad()
            loss, sparsity, plain = model(x)
            loss.backward()
            optimizer.step()
            total_sparsity += sparsity
            total_plain += plain
            total_loss += loss  # expect: NG003
        print(total_loss, total_sparsity, total_plain)
