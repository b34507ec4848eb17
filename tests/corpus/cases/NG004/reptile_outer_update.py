# corpus: NG004, NG003
"""Reptile: after adapting a copy to one task, move the initial weights towards it."""
import copy
import torch
import torch.nn.functional as F


def reptile_step(model, task_loader, inner_steps=5, inner_lr=1e-2, outer_lr=0.1):
    adapted = copy.deepcopy(model)
    inner_opt = torch.optim.SGD(adapted.parameters(), lr=inner_lr)
    for _, (x, y) in zip(range(inner_steps), task_loader):
        inner_opt.zero_grad()
        F.mse_loss(adapted(x), y).backward()
        inner_opt.step()
    for p, q in zip(model.parameters(), adapted.parameters()):
        p.add_(q - p, alpha=outer_lr)  # expect: NG004
    return model
