# corpus: NG001, NG008
"""DDPM ancestral sampling; the sampling loop runs under @torch.no_grad()."""
import torch
from torch import nn


class Diffusion(nn.Module):
    def __init__(self, denoiser, timesteps=1000):
        super().__init__()
        self.denoiser = denoiser
        betas = torch.linspace(1e-4, 0.02, timesteps)
        self.register_buffer("betas", betas)
        self.register_buffer("alphas_cumprod", torch.cumprod(1 - betas, 0))

    def forward(self, x0, t, noise):
        a = self.alphas_cumprod[t].view(-1, 1, 1, 1)
        return self.denoiser(a.sqrt() * x0 + (1 - a).sqrt() * noise, t)

    @torch.no_grad()
    def sample(self, shape, device):
        x = torch.randn(shape, device=device)
        for t in reversed(range(len(self.betas))):
            tt = torch.full((shape[0],), t, device=device, dtype=torch.long)
            eps = self.denoiser(x, tt)
            beta, a_bar = self.betas[t], self.alphas_cumprod[t]
            x = (x - beta / (1 - a_bar).sqrt() * eps) / (1 - beta).sqrt()
            if t > 0:
                x = x + beta.sqrt() * torch.randn_like(x)
        return x
