# corpus: NG010, NG001
"""Input-gradient saliency: requires_grad is set on the input tensor, which is correct."""
import torch


def saliency(model, image, target):
    model.eval()
    x = image.clone()[None]
    x.requires_grad = True
    score = model(x)[0, target]
    score.backward()
    return x.grad.abs().amax(dim=1)[0]
