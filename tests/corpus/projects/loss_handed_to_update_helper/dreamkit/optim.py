# corpus: NG001
"""The one place the library backpropagates: `apply_update` takes a loss, runs the backward pass
(through the accelerator object, not `loss.backward()`) and steps the optimizer. It returns the
gradient norm, which callers keep for logging."""
import torch


def apply_update(accelerator, loss, optimizer, max_norm=None):
    optimizer.zero_grad(set_to_none=True)
    accelerator.backward(loss)
    norm = None
    if max_norm:
        params = [p for group in optimizer.param_groups for p in group["params"]]
        norm = torch.nn.utils.clip_grad_norm_(params, max_norm)
    optimizer.step()
    return norm
