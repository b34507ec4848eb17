# corpus: NG009
"""Preprocessing module fitted under inference_mode: statistics stored on self escape (bug); counters are fine."""
import time

import torch
from torch import nn


class Standardizer(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.register_buffer("mean", torch.zeros(dim))
        self.register_buffer("std", torch.ones(dim))
        self.n_calls = 0
        self.last_latency = 0.0
        self.history = []

    @torch.inference_mode()
    def fit(self, loader):
        xs = torch.cat([x for x, _ in loader])
        self.mean = xs.mean(0)  # expect: NG009
        self.std = xs.std(0).clamp(min=1e-6)  # expect: NG009
        return self

    @torch.inference_mode()
    def describe(self, x):
        t0 = time.perf_counter()
        z = (x - self.mean) / self.std
        self.n_calls += 1
        self.last_latency = time.perf_counter() - t0
        self.history.append(z.abs().max().item())
        return {"max_abs_z": float(z.abs().max()), "mean_z": z.mean(0).tolist()}

    def forward(self, x):
        return (x - self.mean) / self.std


class SafeStandardizer(Standardizer):
    @torch.no_grad()
    def fit(self, loader):
        xs = torch.cat([x for x, _ in loader])
        self.mean = xs.mean(0)
        self.std = xs.std(0).clamp(min=1e-6)
        return self
