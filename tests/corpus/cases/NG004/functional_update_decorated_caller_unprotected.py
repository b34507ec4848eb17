# corpus: NG004
# The same dispatch, but the decorated function is called from a plain training loop with
# grad on: the update named in the decorator runs with grad enabled.
import torch


def _dispatch(single_tensor_fn):
    def decorator(fn):
        def wrapper(*args, **kwargs):
            return single_tensor_fn(*args, **kwargs)
        return wrapper
    return decorator


def _single_tensor_sgd(params, grads, lr):
    for param, grad in zip(params, grads):
        param.add_(grad, alpha=-lr)  # expect: NG004


@_dispatch(single_tensor_fn=_single_tensor_sgd)
def sgd(params, grads, lr):
    raise AssertionError("replaced by the dispatcher")


def train(model, loader, lr=0.1):
    for x, y in loader:
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        params = list(model.parameters())
        sgd(params, [p.grad for p in params], lr)
