# corpus: NG001
# The model's class lives here; this file has nothing a rule looks for on its own.
import torch
from torch import nn


class BagScorer(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(16, 8), nn.ReLU())
        self.head = nn.Linear(8, 1)

    def forward(self, bag):
        weights = self.head(self.encoder(bag))
        return torch.sigmoid(weights.mean())

    def objective(self, bag, label):
        prob = self.forward(bag).clamp(1e-5, 1 - 1e-5)
        return -(label * prob.log() + (1 - label) * (1 - prob).log())

    def error(self, bag, label):
        return self.objective(bag, label) > 0.5

    @torch.no_grad()
    def guess(self, bag):
        return self.forward(bag) > 0.5

    def describe(self, bag):
        return {"size": len(bag), "width": bag.shape[-1]}


class GatedBagScorer(BagScorer):
    pass
