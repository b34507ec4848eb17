# corpus: NG001
"""An evaluation command: the optional warm-up (`if warm_up:`) runs the same helper as the
evaluation, and that helper (another file) takes forces with `torch.autograd.grad`, so both loops
need gradients. Only the energy-only report runs the model for nothing."""
import itertools

import torch

from mlip.forces import predict_with_forces


def evaluate(model: torch.nn.Module, batches, warm_up: bool = True) -> None:
    if warm_up:
        cycled = itertools.cycle(batches)
        for _ in range(10):
            positions, _ = next(cycled)
            predict_with_forces(model, positions, is_training=False)
    errors = []
    for positions, reference in batches:
        energy, forces = predict_with_forces(model, positions, is_training=False)
        errors.append((forces - reference).abs().mean().item())
    return sum(errors) / len(errors)


def energies(model, batches):
    model.eval()
    return [model(p).sum().item() for p in batches]  # expect: NG001
