# corpus: NG004
"""An optimizer whose per-group update runs only from its no_grad `step`; a base class swaps the
update for a compiled version of itself (a reference handed to a wrapper and bound back, not a
call). A second optimizer's update is also called from a public method with grad on."""
import torch


def compiled(fn, options=None):
    return torch.compile(fn, **(options or {}))


class CompilingOptimizer(torch.optim.Optimizer):
    def compile_update(self, options=None):
        self._update_group = compiled(self._update_group, options)


class Decay(CompilingOptimizer):
    def __init__(self, params, lr=1e-3):
        super().__init__(params, {"lr": lr})

    def _update_group(self, params, lr):
        for p in params:
            p.mul_(1.0 - lr * 1e-4)

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            self._update_group([p for p in group["params"] if p.grad is not None], group["lr"])


class LooseDecay(CompilingOptimizer):
    def __init__(self, params, lr=1e-3):
        super().__init__(params, {"lr": lr})

    def _update_group(self, params, lr):
        for p in params:
            p.mul_(1.0 - lr * 1e-4)  # expect: NG004

    def shrink(self):
        for group in self.param_groups:
            self._update_group(group["params"], group["lr"])
