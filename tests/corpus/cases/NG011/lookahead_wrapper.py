# corpus: NG011
"""Lookahead around any optimizer; the closure name is `closure_fn` and is called directly."""
import torch
from torch.optim.optimizer import Optimizer


class Lookahead(Optimizer):
    def __init__(self, base, k=5, alpha=0.5):
        self.base, self.k, self.alpha, self.counter = base, k, alpha, 0
        self.param_groups = base.param_groups
        self.state = base.state
        self.defaults = base.defaults
        self.slow = [[p.detach().clone() for p in g["params"]] for g in self.param_groups]

    @torch.no_grad()
    def step(self, closure_fn=None):
        loss = closure_fn() if closure_fn is not None else None  # expect: NG011
        self.base.step()
        self.counter += 1
        if self.counter % self.k == 0:
            for group, slow in zip(self.param_groups, self.slow):
                for p, s in zip(group["params"], slow):
                    s.add_(p - s, alpha=self.alpha)
                    p.copy_(s)
        return loss
