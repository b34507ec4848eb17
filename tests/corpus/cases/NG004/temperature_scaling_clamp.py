# corpus: NG004, NG007
"""A calibration module whose learnable temperature is kept positive after each update."""
import torch
from torch import nn


class TemperatureScaler(nn.Module):
    def __init__(self, init: float = 1.5):
        super().__init__()
        self.temperature = nn.Parameter(torch.full((1,), init))

    def forward(self, logits):
        return logits / self.temperature

    def fit(self, logits, labels, steps=200):
        opt = torch.optim.LBFGS([self.temperature], lr=0.01, max_iter=steps)
        nll = nn.CrossEntropyLoss()

        def closure():
            opt.zero_grad()
            loss = nll(self(logits), labels)
            loss.backward()
            return loss

        opt.step(closure)
        self.temperature.clamp_(min=1e-2)  # expect: NG004
        return self
