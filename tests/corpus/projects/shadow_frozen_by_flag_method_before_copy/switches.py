# corpus: NG004
"""Helpers the trainer hands its networks to: one sets `requires_grad` by a flag, one only prints."""


def set_trainable(module, flag=True):
    for weight in module.parameters():
        weight.requires_grad_(flag)


def describe(module, verbose=False):
    count = sum(weight.numel() for weight in module.parameters())
    if verbose:
        print(module)
    return count
