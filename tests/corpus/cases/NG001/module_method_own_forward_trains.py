# corpus: NG001
"""Clean: a module that refines its own output step by step, differentiating each step's energy
with respect to the input: `self(x)` in the loop feeds `torch.autograd.grad`, so the graph is
needed; and a denoising loop whose samples are returned to the caller, who trains on them."""
import torch
from torch import nn


class EnergyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, 32), nn.SiLU(), nn.Linear(32, 1))

    def forward(self, x):
        return self.net(x).squeeze(-1)

    def langevin(self, x, steps=10, step_size=0.01):
        x = x.clone().requires_grad_(True)
        for _ in range(steps):
            energy = self(x).sum()
            (grad,) = torch.autograd.grad(energy, x)
            x = (x - step_size * grad + 0.01 * torch.randn_like(x)).detach().requires_grad_(True)
        return x.detach()

    def unroll(self, x, steps=3):
        outputs = []
        for _ in range(steps):
            outputs.append(self(x))
        return torch.stack(outputs)
