# corpus: NG001, NG002
"""Gradient-based explanations: vanilla saliency and SmoothGrad over an evaluation set."""
import torch


def evaluate_saliency(model, loader, device="cuda", samples=16, sigma=0.15):
    model.eval()
    maps = []
    for images, labels in loader:
        images = images.to(device)
        labels = labels.to(device)
        total = torch.zeros_like(images)
        for _ in range(samples):
            noisy = (images + sigma * torch.randn_like(images)).requires_grad_(True)
            scores = model(noisy).gather(1, labels[:, None]).sum()
            grad, = torch.autograd.grad(scores, noisy)
            total += grad.abs()
        maps.append((total / samples).amax(1).cpu())
    return torch.cat(maps)
