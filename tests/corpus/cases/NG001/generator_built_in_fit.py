# corpus: NG001
"""A synthesizer builds its generator when it is fitted, not in `__init__` (where it is None),
and samples by running it batch by batch with grad on, keeping only NumPy copies. A second
synthesizer stores a plain callable under a network-free name and calls it the same way."""
import numpy as np
import torch
from torch import nn


class Generator(nn.Module):
    def __init__(self, noise_dim, width, out_dim):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(noise_dim, width), nn.ReLU(), nn.Linear(width, out_dim))

    def forward(self, z):
        return self.body(z)


class BaseSynth:
    def fit(self, data):
        raise NotImplementedError


class TabularSynth(BaseSynth):
    def __init__(self, noise_dim=8, batch_size=64, device="cpu"):
        self._noise_dim = noise_dim
        self._batch_size = batch_size
        self._device = device
        self._maker = None

    def fit(self, data):
        self._maker = Generator(self._noise_dim, 32, data.shape[1]).to(self._device)
        opt = torch.optim.Adam(self._maker.parameters())
        for _ in range(10):
            fake = self._maker(torch.randn(self._batch_size, self._noise_dim))
            loss = (fake.mean(0) - torch.as_tensor(data).mean(0)).pow(2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()

    def draw(self, n):
        rows = []
        for _ in range(n // self._batch_size + 1):  # expect: NG001
            z = torch.randn(self._batch_size, self._noise_dim, device=self._device)
            rows.append(self._maker(z).detach().cpu().numpy())
        return np.concatenate(rows)[:n]


class FormulaSynth(BaseSynth):
    def __init__(self, scale=1.0):
        self._scale = scale
        self._rule = None

    def fit(self, data):
        self._rule = np.random.default_rng(0).normal

    def draw(self, n):
        rows = []
        for _ in range(n):
            rows.append(self._rule(0.0, self._scale))
        return np.array(rows)
