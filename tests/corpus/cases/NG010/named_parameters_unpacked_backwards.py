# corpus: NG010
"""A captioning script freezes the backbone by name, but unpacks `named_parameters()` as
(parameter, name): the name test raises on the tensor (or the freeze raises on the str), so
nothing is frozen. The second loop unpacks it the right way."""
import torch


def freeze_parts(model, freeze_backbone, freeze_detector):
    if freeze_backbone:
        for p, n in model.named_parameters():
            if "backbone" in n:
                p.requires_grad = False  # expect: NG010
    if freeze_detector:
        for n, p in model.named_parameters():
            if "detector" in n:
                p.requires_grad = False
    return torch.optim.AdamW([p for p in model.parameters() if p.requires_grad])
