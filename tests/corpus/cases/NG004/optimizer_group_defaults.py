# corpus: NG004
"""A custom optimizer fills in each parameter group's hyperparameters before handing the groups to
the base class: `group["lr"]` stores into a dict, not into a tensor, so no parameter is touched
outside no_grad. Its step does the real update under no_grad; a second, hand-written update outside
it writes into a parameter tensor."""
import torch


class ScaledSGD(torch.optim.Optimizer):
    def __init__(self, params, lr=0.01):
        for group in params:
            group["lr"] = group.get("lr", lr)
            group["scale"] = 1.0
        super().__init__(params, {})

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    p.add_(p.grad, alpha=-group["lr"] * group["scale"])


def nudge(model, lr):
    for p in model.parameters():
        p[0] -= lr  # expect: NG004
