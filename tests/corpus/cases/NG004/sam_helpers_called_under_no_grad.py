# corpus: NG004, NG003
"""Sharpness-aware minimisation with helper functions only ever called under no_grad."""
import torch


def _perturb(params, rho):
    grads = [p.grad for p in params if p.grad is not None]
    norm = torch.norm(torch.stack([g.norm(2) for g in grads]), 2) + 1e-12
    eps = []
    for p in params:
        e = p.grad * (rho / norm)
        p.add_(e)
        eps.append(e)
    return eps


def _restore(params, eps):
    for p, e in zip(params, eps):
        p.sub_(e)


def sam_step(model, loss_fn, x, y, optimizer, rho=0.05):
    params = [p for p in model.parameters() if p.requires_grad]
    loss_fn(model(x), y).backward()
    with torch.no_grad():
        eps = _perturb(params, rho)
    optimizer.zero_grad()
    loss_fn(model(x), y).backward()
    with torch.no_grad():
        _restore(params, eps)
    optimizer.step()
    optimizer.zero_grad()
