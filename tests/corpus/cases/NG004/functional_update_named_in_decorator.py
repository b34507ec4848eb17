# corpus: NG004
# The functional update is named in a decorator argument: the decorator's wrapper calls it
# whenever `sgd` runs, and `sgd` only runs inside the optimizer's no_grad `step`.
import torch


def _dispatch(single_tensor_fn):
    def decorator(fn):
        def wrapper(*args, **kwargs):
            return single_tensor_fn(*args, **kwargs)
        return wrapper
    return decorator


def _single_tensor_sgd(params, grads, lr):
    for param, grad in zip(params, grads):
        param.add_(grad, alpha=-lr)


@_dispatch(single_tensor_fn=_single_tensor_sgd)
def sgd(params, grads, lr):
    raise AssertionError("replaced by the dispatcher")


class PlainSGD(torch.optim.Optimizer):
    def __init__(self, params, lr=0.1):
        super().__init__(params, dict(lr=lr))

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            sgd(params, [p.grad for p in params], group["lr"])
