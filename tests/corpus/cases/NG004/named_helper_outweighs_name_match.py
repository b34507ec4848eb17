# corpus: NG004
"""An optimizer whose in-place re-normalisation helper is called only from its no_grad `step`.
Elsewhere, a method of the same name is called on an object whose type the analysis cannot tell:
that name-only match does not make the helper reachable with grad on. A second optimizer's
helper is also called through `self` from a method with grad on."""
import torch


class Normalized(torch.optim.Optimizer):
    def __init__(self, params, lr=0.01):
        super().__init__(params, {"lr": lr})

    def prepare_group(self, group):
        for p in group["params"]:
            if not self.state[p]:
                p.div_(p.norm().clamp_min(1e-8))
                self.state[p]["ready"] = True

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            self.prepare_group(group)
            for p in group["params"]:
                if p.grad is not None:
                    p.add_(p.grad, alpha=-group["lr"])


class Centered(torch.optim.Optimizer):
    def __init__(self, params, lr=0.01):
        super().__init__(params, {"lr": lr})

    def center_group(self, group):
        for p in group["params"]:
            p.sub_(p.mean())  # expect: NG004

    def reset(self):
        for group in self.param_groups:
            self.center_group(group)


def make(kind, params):
    return {"sgd": torch.optim.SGD}[kind](params, lr=0.1)


def smoke_test():
    opt = make("sgd", [torch.nn.Parameter(torch.zeros(1))])
    opt.prepare_group({"params": []})
