# corpus: NG001
"""An interatomic potential predicts forces as the negative gradient of its energy inside its own
`forward`: evaluating it needs gradients with respect to the positions, so `no_grad` around its
loop would make `autograd.grad` raise. A plain regressor evaluated the same way records graphs for
nothing."""
import torch
from torch import nn


class Potential(nn.Module):
    def __init__(self):
        super().__init__()
        self.energy_head = nn.Sequential(nn.Linear(3, 16), nn.SiLU(), nn.Linear(16, 1))

    def forward(self, positions):
        positions = positions.requires_grad_(True)
        energy = self.energy_head(positions).sum()
        (grad,) = torch.autograd.grad(energy, positions, create_graph=self.training)
        return energy.detach(), -grad


class Regressor(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Linear(3, 1)

    def forward(self, x):
        return self.body(x)


def force_errors(frames, reference):
    potential = Potential()
    potential.eval()
    errors = []
    for positions, target in zip(frames, reference):
        _, forces = potential(positions)
        errors.append((forces - target).abs().mean().item())
    return errors


def regression_errors(frames, reference):
    regressor = Regressor()
    regressor.eval()
    errors = []
    for positions, target in zip(frames, reference):  # expect: NG001
        errors.append((regressor(positions) - target).abs().mean().item())
    return errors
