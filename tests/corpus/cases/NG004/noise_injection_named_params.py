# corpus: NG004
"""Weight-noise regularisation: perturb the weights (not the biases) before a forward pass."""
import torch


def perturb_weights(model, std=1e-3):
    noises = {}
    for name, param in model.named_parameters():
        if name.endswith("weight"):
            noise = torch.randn_like(param) * std
            param.add_(noise)  # expect: NG004
            noises[name] = noise
    return noises
