# corpus: NG003, NG004
"""Multi-task model: loss terms are summed within one step, then backpropagated."""
import torch
import torch.nn as nn


def train_multitask(model, heads: nn.ModuleDict, loader, optimizer, weights):
    criteria = {"cls": nn.CrossEntropyLoss(), "box": nn.SmoothL1Loss(), "depth": nn.L1Loss()}
    log = {name: 0.0 for name in heads}
    for images, targets in loader:
        features = model(images)
        loss = 0.0
        for name, head in heads.items():
            term = criteria[name](head(features), targets[name])
            loss += weights[name] * term
            log[name] += term.item()
        aux = []
        for name in ("cls", "box"):
            aux.append(heads[name](features).pow(2).mean())
        loss = loss + 1e-4 * torch.stack(aux).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return {k: v / len(loader) for k, v in log.items()}
