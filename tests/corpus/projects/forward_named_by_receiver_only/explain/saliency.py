# corpus: NG002
"""An explainer module: users call it (`explainer(x)`) with gradients on, and its forward takes the
gradient of the wrapped network's score with respect to the input. Nothing in the project calls it
by name."""
import torch
from torch import nn


class InputGradient(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        x = x.detach().clone().requires_grad_(True)
        score = self.net(x).max(dim=1).values.sum()
        (grad,) = torch.autograd.grad(score, x)
        return grad
