# corpus: NG001
"""Loops that reach the attack through a helper of this file: they need gradients, so they are
not evaluation loops. The last loop never attacks."""
import torch

from .attacks import projected_shift


def hard_predictions(net, images, targets):
    return net(projected_shift(net, images, targets, 0.03)).argmax(1)


def robust_hits(net, loader):
    net.eval()
    hits = 0
    for images, targets in loader:
        hits += (hard_predictions(net, images, targets) == targets).sum().item()
    return hits


def clean_hits(net, loader):
    net.eval()
    hits = 0
    for images, targets in loader:  # expect: NG001
        hits += (net(images).argmax(1) == targets).sum().item()
    return hits
