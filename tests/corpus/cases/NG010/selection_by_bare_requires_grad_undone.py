# corpus: NG010
"""An adapter set-up freezes the whole model, turns the adapter weights back on with a bare
`p.requires_grad_()` (which means True), then calls `requires_grad_(True)` on the whole model
before building the optimizer: every weight trains again, and the selection is lost. The second
set-up makes the same selection and hands the model to the optimizer without undoing it."""
import torch
import torch.nn as nn


def adapter_setup(model: nn.Module):
    model.requires_grad_(False)
    for name, weight in model.named_parameters():
        if "adapter" in name:
            weight.requires_grad_()
    model.requires_grad_(True)  # expect: NG010
    return torch.optim.AdamW(w for w in model.parameters() if w.requires_grad)


def kept_setup(model: nn.Module):
    model.requires_grad_(False)
    for name, weight in model.named_parameters():
        if "adapter" in name:
            weight.requires_grad_()
    return torch.optim.AdamW(w for w in model.parameters() if w.requires_grad)
