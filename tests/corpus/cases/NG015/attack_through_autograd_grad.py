# corpus: NG015
"""The attack takes `torch.autograd.grad` of the perturbation only: no weight gradient is computed."""
import torch
import torch.nn.functional as F


def input_gradient_attack(model, x, y, steps=10, alpha=0.01):
    delta = torch.zeros_like(x, requires_grad=True)
    opt = torch.optim.SGD([delta], lr=alpha)
    for _ in range(steps):
        loss = -F.cross_entropy(model(x + delta), y)
        (delta.grad,) = torch.autograd.grad(loss, [delta])
        opt.step()
    return delta.detach()
