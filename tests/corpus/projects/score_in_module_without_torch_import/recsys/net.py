# corpus: NG001
"""The network and its training loop; the recommender in `recom.py` builds it."""
import torch
import torch.nn as nn


class BasketNet(nn.Module):
    def __init__(self, n_items, dim):
        super().__init__()
        self.items = nn.Embedding(n_items, dim)
        self.out = nn.Linear(dim, n_items)

    def forward(self, baskets):
        return self.out(self.items(baskets).mean(1))


def learn(model, loader, epochs):
    optimizer = torch.optim.Adam(model.parameters())
    for _ in range(epochs):
        for baskets, target in loader:
            loss = nn.functional.cross_entropy(model(baskets), target)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
