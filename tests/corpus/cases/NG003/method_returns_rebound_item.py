# corpus: NG003
"""A learner's update step rebinds its loss names to Python floats before returning them; the
per-step records hold numbers. A second step rebinds its output to a scaled tensor (still with
its graph) and returns that: keeping it per step keeps every step's graph."""
import torch
from torch import nn


class Learner:
    def __init__(self):
        self.net = nn.Linear(4, 1)
        self.opt = torch.optim.SGD(self.net.parameters(), lr=0.1)

    def update(self, x, aux=None):
        loss = self.net(x).pow(2).mean()
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        aux = aux.item() if aux is not None else None
        loss = loss.item()
        return loss, aux

    def probe(self, x):
        score = self.net(x).mean()
        score = score * 2
        return score

    def run(self, batches):
        history = {}
        for step, x in enumerate(batches):
            history[step] = self.update(x)
        return history

    def run_probes(self, batches):
        kept = []
        for x in batches:
            loss = self.net(x).pow(2).mean()
            self.opt.zero_grad()
            loss.backward()
            self.opt.step()
            kept.append(self.probe(x))  # expect: NG003
        return kept
