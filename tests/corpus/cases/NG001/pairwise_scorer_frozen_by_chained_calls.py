# corpus: NG001
"""A pairwise preference scorer that puts its model in eval mode and freezes it in one chained
statement: `eval()` returns the module, so `requires_grad_(False)` freezes every parameter and
the forwards below record no graph. Nothing to report."""
import torch
from torch import nn


class PreferenceScorer:
    def __init__(self, model: nn.Module):
        self.model = model
        self.model.eval().requires_grad_(False)

    def __call__(self, chosen, rejected):
        better = []
        for a, b in zip(chosen, rejected):
            better.append(bool(self.model(a).sum() > self.model(b).sum()))
        return better


class PreferenceScorerStillTrainable:
    def __init__(self, model: nn.Module):
        self.model = model
        self.model.eval().to(torch.float32)

    def __call__(self, chosen, rejected):
        better = []
        for a, b in zip(chosen, rejected):  # expect: NG001
            better.append(bool(self.model(a).sum() > self.model(b).sum()))
        return better
