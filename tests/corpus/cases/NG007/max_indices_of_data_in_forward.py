# corpus: NG007
"""Picking, per sample, the candidate a frozen judge network is most sure about. The judge's
scores are read through `.data` only for the indices of `torch.max` / `sort` / `topk` (integers,
never differentiable), so the `.data` cuts nothing: what is returned comes from the candidates.
The last module does cut the history: it returns the values read through `.data`."""
import torch
from torch import nn


class JudgePick(nn.Module):
    def __init__(self, judge, makers):
        super().__init__()
        self.judge = judge
        self.makers = makers

    def forward(self, x, target):
        chosen = x.clone()
        for make in self.makers:
            candidate = make(x)
            scores = self.judge(candidate)
            _, guess = torch.max(scores.data, 1)
            wrong = guess != target
            chosen[wrong] = candidate[wrong]
        return chosen


class RankedPick(nn.Module):
    def __init__(self, judge):
        super().__init__()
        self.judge = judge

    def forward(self, x):
        scores = self.judge(x)
        order = scores.data.sort(dim=-1)[1]
        top = torch.topk(scores.data, 2, dim=-1).indices
        return torch.gather(x, 1, order), x[:, top[0]]


class ClippedScores(nn.Module):
    def __init__(self, dims):
        super().__init__()
        self.proj = nn.Linear(dims, dims)

    def forward(self, x):
        scores = self.proj(x)
        peak, _ = torch.max(scores.data, 1)  # expect: NG007
        return peak
