# corpus: NG001
"""The file's recommender has a `clone` method that refits it (a training step). A module's
forward calls `items.clone()` on a tensor it computed: torch's method, not the recommender's, so
that forward needs no gradients, and the scoring loop over a model of unknown class is an
evaluation loop."""
import torch
import torch.nn as nn


class Recommender:
    def __init__(self, model):
        self.model = model

    def fit(self, loader):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        for x in loader:
            self.model(x).sum().backward()
            optimizer.step()

    def clone(self, loader):
        twin = Recommender(self.model)
        twin.fit(loader)
        return twin


class GatedUpdate(nn.Module):
    def __init__(self, n_items, dim):
        super().__init__()
        self.items = nn.Embedding(n_items, dim)
        self.alpha = nn.Parameter(torch.rand(n_items, 1))

    def forward(self, ids):
        items = self.items(ids)
        return (1 - self.alpha[ids]) * items.clone()


def score_all(model, batches):
    model.eval()
    scores = []
    for ids in batches:  # expect: NG001
        scores.append(model(ids).sum(-1).cpu().detach().numpy())
    return scores
