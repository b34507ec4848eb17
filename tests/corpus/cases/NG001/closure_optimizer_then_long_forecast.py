# corpus: NG001
"""Sequence models trained with a quasi-Newton optimizer: each step hands the optimizer a closure
that runs the forward and the backward pass. After each step the function forecasts far ahead
with gradients on and only prints a loss and plots an array: that graph is never used."""
import torch
from torch import nn


class Forecaster(nn.Module):
    def __init__(self):
        super().__init__()
        self.cell = nn.LSTMCell(1, 32)
        self.head = nn.Linear(32, 1)

    def forward(self, x, future=0):
        h = c = torch.zeros(x.size(0), 32, dtype=x.dtype)
        out = []
        for t in range(x.size(1) + future):
            inp = x[:, t:t + 1] if t < x.size(1) else out[-1]
            h, c = self.cell(inp, (h, c))
            out.append(self.head(h))
        return torch.cat(out, 1)


def fit(series, held_out, steps):
    model = Forecaster().double()
    criterion = nn.MSELoss()
    optimizer = torch.optim.LBFGS(model.parameters(), lr=0.8)
    curves = []
    for step in range(steps):
        def closure():
            optimizer.zero_grad()
            loss = criterion(model(series[:, :-1]), series[:, 1:])
            loss.backward()
            return loss

        optimizer.step(closure)
        forecast = model(held_out[:, :-1], future=500)  # expect: NG001
        print(criterion(forecast[:, :-500], held_out[:, 1:]).item())
        curves.append(forecast.detach().numpy())
    return curves


def fit_with_forecast_in_the_loss(series, steps):
    model = Forecaster().double()
    optimizer = torch.optim.LBFGS(model.parameters(), lr=0.8)
    for step in range(steps):
        forecast = model(series[:, :-1], future=10)

        def closure():
            optimizer.zero_grad()
            loss = (forecast[:, -10:] ** 2).mean() + (model(series[:, :-1]) - series[:, 1:]).pow(2).mean()
            loss.backward(retain_graph=True)
            return loss

        optimizer.step(closure)
    return model
