# corpus: NG001
"""A meta-learning client computes gradients with `torch.autograd.grad` on both sides of
`if hvp is not None:`. Called in the training loop without `hvp`, the helper still needs the graph
of its forward: it is no evaluation, and `no_grad` around it would make `autograd.grad` raise."""
import copy

import torch
import torch.nn.functional as F


class Client:
    def __init__(self, model, batches, lr=0.01):
        self.model = model
        self.batches = batches
        self.lr = lr

    def _grads(self, model, batch, hvp=None):
        x, y = batch
        if hvp is not None:
            with torch.no_grad():
                for p, v in zip(model.parameters(), hvp):
                    p.add_(1e-3 * v)
            loss = F.cross_entropy(model(x), y)
            return torch.autograd.grad(loss, list(model.parameters()))
        else:
            loss = F.cross_entropy(model(x), y)
            return torch.autograd.grad(loss, list(model.parameters()))

    def fit(self, steps):
        for _ in range(steps):
            first, second = next(self.batches), next(self.batches)
            probe = copy.deepcopy(self.model)
            g1 = self._grads(probe, first)
            g2 = self._grads(self.model, second, hvp=g1)
            with torch.no_grad():
                for p, a, b in zip(self.model.parameters(), g1, g2):
                    p.sub_(self.lr * (a - b))
