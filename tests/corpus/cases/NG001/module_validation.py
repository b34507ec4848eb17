# corpus: NG001
"""Check that a model's layers are supported and load per-model weights ("validate" and "eval"
are config validation and weight sync here): the loops call functions fetched from a registry or
imported, never a network."""
import torch
from torch import nn

from .registry import model_by_key

VALIDATORS = {nn.BatchNorm2d: lambda m: ["BatchNorm is not supported"]}


def validate(module: nn.Module):
    errors = []
    for sub_module in module.modules():
        sub_module_validator = VALIDATORS.get(type(sub_module))
        if sub_module_validator is not None:
            errors.extend(sub_module_validator(sub_module))
    return errors


def run_eval(collector, weights):
    for key, state in weights.items():
        model_by_key(collector, key).load_state_dict(state)
    return torch.cuda.is_available()
