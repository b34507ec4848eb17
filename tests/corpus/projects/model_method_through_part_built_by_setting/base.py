# corpus: NG001
"""A propagation model's base class: subclasses choose the network it wraps."""
import torch.nn as nn


class BaseModel(nn.Module):
    def __init__(self):
        super().__init__()
        self._base_model = None

    def model_forward(self, x):
        return self.forward(x)

    def forward(self, x):
        return self._base_model(x)


class LogisticRegression(nn.Module):
    def __init__(self, d_in, d_out):
        super().__init__()
        self.fc = nn.Linear(d_in, d_out)

    def forward(self, x):
        return self.fc(x)


class Perceptron(nn.Module):
    def __init__(self, d_in, d_hidden, d_out):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(d_in, d_hidden), nn.ReLU(), nn.Linear(d_hidden, d_out))

    def forward(self, x):
        return self.body(x)
