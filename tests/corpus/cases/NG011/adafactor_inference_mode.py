# corpus: NG011
"""A factored second-moment optimizer; decorated with inference_mode through an alias."""
import torch as T


class TinyAdafactor(T.optim.Optimizer):
    def __init__(self, params, lr=1e-2, eps=1e-30, decay=0.8):
        super().__init__(params, dict(lr=lr, eps=eps, decay=decay))

    @T.inference_mode()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with T.enable_grad():
                pass  # the author meant to put the closure call here
            loss = closure()  # expect: NG011
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                sq = state.setdefault("sq", T.zeros_like(p))
                sq.mul_(group["decay"]).addcmul_(p.grad, p.grad, value=1 - group["decay"])
                p.addcdiv_(p.grad, sq.sqrt().add_(group["eps"]), value=-group["lr"])
        return loss
