# corpus: NG001, NG002, NG004
"""Gradient-based evaluation: saliency maps and PGD robustness (both need backward; correct)."""
import torch
import torch.nn.functional as F


def evaluate_saliency(model, loader, device):
    model.eval()
    maps = []
    for images, labels in loader:
        images = images.to(device).requires_grad_(True)
        logits = model(images)
        score = logits.gather(1, labels.to(device).unsqueeze(1)).sum()
        model.zero_grad()
        score.backward()
        maps.append(images.grad.detach().abs().amax(dim=1).cpu())
    return torch.cat(maps)


def pgd_attack(model, x, y, eps=8 / 255, alpha=2 / 255, steps=10):
    delta = torch.zeros_like(x).uniform_(-eps, eps)
    delta.requires_grad_(True)
    for _ in range(steps):
        loss = F.cross_entropy(model(x + delta), y)
        grad, = torch.autograd.grad(loss, delta)
        with torch.no_grad():
            delta += alpha * grad.sign()
            delta.clamp_(-eps, eps)
    return (x + delta).clamp(0, 1).detach()


@torch.no_grad()
def evaluate_robust(model, loader, device):
    model.eval()
    clean, robust, n = 0, 0, 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        clean += (model(x).argmax(1) == y).sum().item()
        with torch.enable_grad():
            x_adv = pgd_attack(model, x, y)
        robust += (model(x_adv).argmax(1) == y).sum().item()
        n += y.numel()
    return clean / n, robust / n
