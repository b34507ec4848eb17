# corpus: NG009, NG006
"""Forward hooks that collect activation statistics; the hook is decorated with inference_mode."""
import torch
from torch import nn

ACTIVATIONS = {}


@torch.inference_mode()
def save_activation(module, inputs, output):
    ACTIVATIONS[module] = output.mean(dim=0)  # expect: NG009


def attach(model: nn.Module):
    handles = []
    for name, module in model.named_modules():
        if isinstance(module, nn.Conv2d):
            handles.append(module.register_forward_hook(save_activation))  # expect: NG009
    return handles
