# corpus: NG011
"""Armijo line-search SGD: the first closure runs under enable_grad; the re-evaluations run the same closure
(which calls backward) under the step's no_grad and raise."""
import torch
from torch.optim import Optimizer


class ArmijoSGD(Optimizer):
    def __init__(self, params, lr=1.0, c=0.1, beta=0.5, max_backtracks=10):
        super().__init__(params, dict(lr=lr, c=c, beta=beta, max_backtracks=max_backtracks))

    @torch.no_grad()
    def step(self, closure):
        with torch.enable_grad():
            loss = closure()
        group = self.param_groups[0]
        params = [p for p in group["params"] if p.grad is not None]
        grads = [p.grad.clone() for p in params]
        originals = [p.clone() for p in params]
        grad_norm_sq = sum((g * g).sum() for g in grads)
        lr = group["lr"]
        for _ in range(group["max_backtracks"]):
            for p, p0, g in zip(params, originals, grads):
                p.copy_(p0 - lr * g)
            new_loss = closure()  # expect: NG011
            if new_loss <= loss - group["c"] * lr * grad_norm_sq:
                break
            lr *= group["beta"]
        group["lr"] = lr / group["beta"]
        return loss


def fit(model, loss_fn, data, steps=100):
    opt = ArmijoSGD(model.parameters())
    x, y = data
    for _ in range(steps):
        def closure():
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            return loss
        opt.step(closure)
