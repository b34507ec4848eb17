# corpus: NG003
"""An LR range test: each loss is backpropagated, then rebound to a Python float before it is stored (correct)."""
import math

import torch


def lr_range_test(model, optimizer, loader, start_lr=1e-7, end_lr=10.0, num_steps=100):
    model.train()
    gamma = (end_lr / start_lr) ** (1.0 / num_steps)
    lrs, losses = [], []
    best = math.inf
    for step, batch in enumerate(loader):
        if step >= num_steps:
            break
        lr = start_lr * gamma ** step
        for group in optimizer.param_groups:
            group["lr"] = lr
        optimizer.zero_grad()
        loss = model(**batch)["loss"]
        loss.backward()
        loss = loss.detach().cpu().item()
        if math.isnan(loss) or loss > 4 * best:
            break
        optimizer.step()
        best = min(best, loss)
        lrs.append(lr)
        losses.append(loss)
    return lrs, losses
