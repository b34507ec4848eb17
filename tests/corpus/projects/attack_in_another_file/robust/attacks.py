# corpus: NG001
"""An attack that differentiates the loss with respect to the input."""
import torch
import torch.nn.functional as F


def projected_shift(net, images, targets, radius):
    images = images.clone().requires_grad_(True)
    grad, = torch.autograd.grad(F.cross_entropy(net(images), targets), images)
    return (images + radius * grad.sign()).clamp(0, 1).detach()
