# corpus: NG001
"""Emulators with a `predict` method that switches to eval mode and returns one forward pass. With
gradients on, every prediction hands its caller an output that holds the whole forward's graph.
The second emulator's predict is decorated with no_grad; the third is the one its own fitting code
differentiates through (a physics-informed loss on the predictions); a tracer reads `grad_fn` to
walk the graph it wants. A wrapper around a private module whose forward factorises with numpy
returns no tensor with a graph at all. A classifier that detaches its logits before returning them
hands no graph back, but its forward still records one that nothing backpropagates."""
import numpy as np
import torch
from torch import nn


class MLPEmulator(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(n_in, 64), nn.Tanh(), nn.Linear(64, n_out))

    def forward(self, x):
        return self.net(x)

    def predict(self, x):
        self.eval()
        return self(x)  # expect: NG001


class QuietEmulator(MLPEmulator):
    @torch.no_grad()
    def predict(self, x):
        self.eval()
        return self(x)


class PhysicsEmulator(MLPEmulator):
    def predict_field(self, x):
        self.eval()
        return self(x)

    def fit_step(self, x, optimizer):
        residual = self.predict_field(x).diff(dim=0).pow(2).mean()
        optimizer.zero_grad()
        residual.backward()
        optimizer.step()


def trace_inference(model, example):
    model.eval()
    out = model(example)
    node, seen = out.grad_fn, []
    while node is not None and node.next_functions:
        seen.append(type(node).__name__)
        node = node.next_functions[0][0]
    return seen


class _Factoriser(nn.Module):
    def __init__(self, rank):
        super().__init__()
        self.rank = rank

    def forward(self, data):
        u, s, vt = np.linalg.svd(data, full_matrices=False)
        return {"imputed": (u[:, : self.rank] * s[: self.rank]) @ vt[: self.rank]}


class Imputer:
    def __init__(self, rank):
        self.model = _Factoriser(rank)

    def predict(self, data):
        self.model.eval()
        return self.model(data)["imputed"]


class Classifier(MLPEmulator):
    def predict_labels(self, x):
        self.eval()
        logits = self(x).detach()  # expect: NG001
        return logits.argmax(dim=-1), logits.softmax(dim=-1)
