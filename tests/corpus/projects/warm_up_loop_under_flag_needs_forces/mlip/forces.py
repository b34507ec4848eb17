# corpus: NG001
"""The potential's prediction helper: forces are `-dE/dx`, taken with `torch.autograd.grad`."""
import torch


def predict_with_forces(model, positions, is_training=False):
    positions = positions.clone().requires_grad_(True)
    energy = model(positions).sum()
    forces = -torch.autograd.grad(energy, positions)[0]
    return energy.detach(), forces.detach()
