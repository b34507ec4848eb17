# corpus: NG010
"""Freezing helpers that accept a module or a single parameter. Inside the `isinstance(...,
Parameter)` branch, and where the argument is annotated as a Parameter, `.requires_grad = False`
is the real autograd flag. Only the branch where the object is a module freezes nothing."""
import torch
from torch import nn
from torch.nn import Module, Parameter


def freeze(module):
    if isinstance(module, Parameter):
        module.requires_grad = False
    elif isinstance(module, Module):
        module.requires_grad = False  # expect: NG010


def unfreeze(module: nn.Parameter) -> None:
    module.requires_grad = True


def toggle(model, flag):
    if isinstance(model, (torch.Tensor, nn.Parameter)):
        model.requires_grad = flag
