# corpus: NG012, NG001, NG002
"""Evaluating the EMA copy inside the training loop: the trained model stays in train mode."""
import copy

import torch


def train(model, loader, val_batch, optimizer, steps, decay=0.999):
    ema = copy.deepcopy(model).requires_grad_(False)
    model.train()
    for step, (x, y) in enumerate(loader):
        loss = torch.nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            for pe, pm in zip(ema.parameters(), model.parameters()):
                pe.lerp_(pm, 1 - decay)
        if step % 1000 == 0:
            ema.eval()
            with torch.no_grad():
                print(step, ema(val_batch[0]).argmax(1).eq(val_batch[1]).float().mean().item())
        if step >= steps:
            break
