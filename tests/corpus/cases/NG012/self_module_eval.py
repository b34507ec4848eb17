# corpus: NG012, NG001
"""A module with its own fit(): self.evaluate() calls self.eval() and never switches back."""
import torch
from torch import nn


class AutoEncoder(nn.Module):
    def __init__(self, dim=784, code=32):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(dim, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, code))
        self.decoder = nn.Sequential(nn.Linear(code, 256), nn.ReLU(), nn.Linear(256, dim))

    def forward(self, x):
        return self.decoder(self.encoder(x))

    def evaluate(self, loader):
        self.eval()
        with torch.no_grad():
            return sum(nn.functional.mse_loss(self(x), x).item() for x, _ in loader) / len(loader)

    def fit(self, loader, val_loader, epochs=10):
        opt = torch.optim.Adam(self.parameters(), lr=1e-3)
        self.train()
        for epoch in range(epochs):
            for x, _ in loader:
                loss = nn.functional.mse_loss(self(x), x)
                opt.zero_grad()
                loss.backward()
                opt.step()
            print(epoch, self.evaluate(val_loader))  # expect: NG012
