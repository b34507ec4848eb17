# corpus: NG004
"""A GAN trainer keeps a moving average of its generator. The average's parameters are switched off
with a helper of the file that takes the flag as an argument (`toggle_grad(model, False)`), so the
in-place `copy_` into them afterwards raises nothing. The second update switches them on instead,
and the same `copy_` on leaves that require grad raises outside `no_grad`."""
import torch


def toggle_grad(model, requires_grad):
    for p in model.parameters():
        p.requires_grad_(requires_grad)


def update_average(model_tgt, model_src, beta):
    toggle_grad(model_src, False)
    toggle_grad(model_tgt, False)
    src = dict(model_src.named_parameters())
    for name, p_tgt in model_tgt.named_parameters():
        p_tgt.copy_(beta * p_tgt + (1.0 - beta) * src[name])


def update_average_trainable(model_tgt, model_src, beta):
    toggle_grad(model_tgt, True)
    src = dict(model_src.named_parameters())
    for name, p_tgt in model_tgt.named_parameters():
        p_tgt.copy_(beta * p_tgt + (1.0 - beta) * src[name])  # expect: NG004
