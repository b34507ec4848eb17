# corpus: NG004
"""NoisyNet layers: noise kept in Parameters created with requires_grad=False, resampled in place (correct)."""
import math

import torch
import torch.nn.functional as F
from torch import nn


class NoisyLinear(nn.Module):
    def __init__(self, in_features, out_features, sigma0=0.5):
        super().__init__()
        self.mu_w = nn.Parameter(torch.empty(out_features, in_features))
        self.sigma_w = nn.Parameter(torch.empty(out_features, in_features))
        self.mu_b = nn.Parameter(torch.empty(out_features))
        self.sigma_b = nn.Parameter(torch.empty(out_features))
        self.eps_in = nn.Parameter(torch.zeros(in_features), requires_grad=False)
        self.eps_out = nn.Parameter(torch.zeros(out_features), requires_grad=False)
        self.in_features, self.sigma0 = in_features, sigma0
        self.reset_parameters()
        self.sample_noise()

    def reset_parameters(self):
        bound = 1 / math.sqrt(self.in_features)
        self.mu_w.data.uniform_(-bound, bound)
        self.mu_b.data.uniform_(-bound, bound)
        self.sigma_w.data.fill_(self.sigma0 * bound)
        self.sigma_b.data.fill_(self.sigma0 * bound)

    @staticmethod
    def _f(x):
        return x.sign().mul_(x.abs().sqrt_())

    def sample_noise(self):
        self.eps_in.copy_(self._f(torch.randn(self.eps_in.shape[0])))
        self.eps_out.copy_(self._f(torch.randn(self.eps_out.shape[0])))

    def forward(self, x):
        if self.training:
            w = self.mu_w + self.sigma_w * torch.outer(self.eps_out, self.eps_in)
            b = self.mu_b + self.sigma_b * self.eps_out
        else:
            w, b = self.mu_w, self.mu_b
        return F.linear(x, w, b)


class NoisyDuelingHead(nn.Module):
    def __init__(self, dim, n_actions):
        super().__init__()
        self.value = NoisyLinear(dim, 1)
        self.advantage = NoisyLinear(dim, n_actions)
        self.temperature = nn.Parameter(torch.ones(1), requires_grad=False)

    def reset_noise(self):
        self.value.sample_noise()
        self.advantage.sample_noise()
        self.temperature.fill_(1.0)

    def forward(self, h):
        v, a = self.value(h), self.advantage(h)
        return (v + a - a.mean(dim=-1, keepdim=True)) / self.temperature
