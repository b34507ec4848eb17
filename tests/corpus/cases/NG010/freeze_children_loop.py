# corpus: NG010, NG004
"""Gradual unfreezing helper that works on child modules."""
import torch.nn as nn


def freeze_until(model: nn.Module, n_trainable: int):
    children = list(model.children())
    for child in children[:-n_trainable]:
        child.requires_grad = False  # expect: NG010
    for child in children[-n_trainable:]:
        for p in child.parameters():
            p.requires_grad = True
