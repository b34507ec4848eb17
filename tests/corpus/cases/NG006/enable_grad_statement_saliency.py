# corpus: NG006, NG002
"""Saliency from a no_grad evaluation context; enable_grad() as a statement does nothing."""
import torch
from torch import autograd


@torch.no_grad()
def attribution_summary(model, images, labels):
    autograd.enable_grad()  # expect: NG006
    return model(images).gather(1, labels[:, None]).mean()
