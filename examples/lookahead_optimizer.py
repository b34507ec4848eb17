"""A Lookahead wrapper (Zhang et al., 2019) around any optimizer, and a plain SGD with
gradient centralization used by the small regression demo at the bottom.

This file has grad-mode bugs that nogradlint finds; each is marked with a `# BUG NGxxx` comment.
"""

from __future__ import annotations

from collections import defaultdict

import torch
from torch.optim import Optimizer


class Lookahead(Optimizer):
    def __init__(self, base: Optimizer, k: int = 5, alpha: float = 0.5) -> None:
        if not 0.0 <= alpha <= 1.0:
            raise ValueError(f"invalid alpha: {alpha}")
        self.base = base
        self.k, self.alpha = k, alpha
        self.param_groups = base.param_groups
        self.defaults = base.defaults
        self.state = defaultdict(dict)
        self._steps = 0
        for group in self.param_groups:
            for p in group["params"]:
                self.state[p]["slow"] = p.detach().clone()

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            loss = closure()  # BUG NG011: the closure runs under no_grad, so its loss has no grad_fn
        self.base.step()
        self._steps += 1
        if self._steps % self.k == 0:
            for group in self.param_groups:
                for p in group["params"]:
                    slow = self.state[p]["slow"]
                    slow.add_(p - slow, alpha=self.alpha)
                    p.copy_(slow)  # fine: the decorator disables grad for the whole step
        return loss


class CentralizedSGD(Optimizer):
    """SGD with gradient centralization; closure handled the way torch.optim does it."""

    def __init__(self, params, lr: float = 0.01, momentum: float = 0.9) -> None:
        super().__init__(params, dict(lr=lr, momentum=momentum))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad
                if g.dim() > 1:
                    g = g - g.mean(dim=tuple(range(1, g.dim())), keepdim=True)
                buf = self.state[p].setdefault("momentum", torch.zeros_like(p))
                buf.mul_(group["momentum"]).add_(g)
                p.add_(buf, alpha=-group["lr"])
        return loss


def manual_sgd(params, lr: float) -> None:
    """Plain SGD without an optimizer object (used for the quick demo)."""
    for p in params:
        if p.grad is not None:
            p -= lr * p.grad  # BUG NG004: in-place update of a leaf that requires grad, outside no_grad
            p.grad.zero_()


def demo(steps: int = 200) -> None:
    torch.manual_seed(0)
    x = torch.randn(256, 8)
    true_w = torch.randn(8, 1)
    y = x @ true_w + 0.1 * torch.randn(256, 1)
    w = torch.zeros(8, 1, requires_grad=True)
    for _ in range(steps):
        loss = ((x @ w - y) ** 2).mean()
        loss.backward()
        manual_sgd([w], lr=0.1)
    model = torch.nn.Linear(8, 1)
    opt = Lookahead(CentralizedSGD(model.parameters(), lr=0.05))

    def closure():
        opt.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        return loss

    for _ in range(steps):
        opt.step(closure)
    print("w error", (w - true_w).norm().item(), "model loss", closure().item())


if __name__ == "__main__":
    demo()
