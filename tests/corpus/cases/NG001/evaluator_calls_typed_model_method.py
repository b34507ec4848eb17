# corpus: NG001
"""An evaluator scores every item of a data set through a method of the model's class, which
runs the model itself; the scores are read as numbers. A second evaluator asks the same model
for its configuration per item, which runs nothing."""
import torch
from torch import nn


class ValueModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Linear(8, 8)
        self.head = nn.Linear(8, 4)

    def forward(self, tokens):
        return self.head(self.body(tokens))

    def values_of(self, items):
        out = self(torch.stack(items))
        return out.max(-1).values

    def describe(self, items):
        return {"count": len(items)}


class Ranker:
    def __init__(self, data):
        self.data = data

    def evaluate(self, model: ValueModel):
        best = []
        for item in self.data:  # expect: NG001
            best.append(model.values_of([item]).sum().item())
        return best

    def evaluate_sizes(self, model: ValueModel):
        return [model.describe([item])["count"] for item in self.data]
