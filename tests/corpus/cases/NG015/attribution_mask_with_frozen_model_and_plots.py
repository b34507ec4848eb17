# corpus: NG015
"""Extremal-perturbation attribution: the mask is optimized through a model whose parameters the
function freezes first; the loop also clears a matplotlib figure (`plt.clf()`, a library call
whose name reads like a classifier's), which runs no network of the code."""
import matplotlib.pyplot as plt
import torch
import torch.optim as optim


def extremal_perturbation(model, image, target, steps=300, lr=0.1, debug=False):
    for p in model.parameters():
        p.requires_grad_(False)
    pmask = torch.ones(1, 1, 7, 7) * 0.5
    optimizer = optim.SGD([pmask], lr=lr, momentum=0.9)
    for t in range(steps):
        pmask.requires_grad_(True)
        mask = torch.nn.functional.interpolate(pmask, size=image.shape[-2:], mode="bilinear")
        y = model(image * mask)
        energy = y[:, target].sum() - 0.1 * mask.mean()
        optimizer.zero_grad()
        (-energy).backward()
        optimizer.step()
        pmask.data = pmask.data.clamp(0, 1)
        if debug and t % 50 == 0:
            plt.clf()
            plt.imshow(mask[0, 0].detach().numpy())
    return pmask.detach()
