# corpus: NG004
"""Linear regression from scratch, notebook style: the weights come from a small helper that
returns a fresh tensor with `requires_grad_()`. Nudging one weight in place outside no_grad
raises; the nudge under no_grad, and the update of a tensor from a helper that returns a plain
tensor, are fine."""
import torch


def init_params(size, std=1.0):
    return (torch.randn(size) * std).requires_grad_()


def init_plain(size):
    return torch.zeros(size)


xs = torch.randn(64, 3)
ys = xs @ torch.tensor([1.0, -2.0, 0.5])
weights = init_params((3,))
offsets = init_plain((3,))

preds = xs @ weights
weights[0] *= 1.01  # expect: NG004
offsets[0] += 1.0
with torch.no_grad():
    weights[1] *= 0.99
