# corpus: NG004, NG006, NG007, NG008
"""A custom autograd Function, a straight-through quantizer and a scripted helper (correct)."""
import torch
import torch.nn.functional as F
from torch import nn


class ClampWithGrad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, lo, hi):
        ctx.save_for_backward(x)
        ctx.lo, ctx.hi = lo, hi
        return x.clamp(lo, hi)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[(x < ctx.lo) & (grad_output > 0)] = 0
        grad_input[(x > ctx.hi) & (grad_output < 0)] = 0
        return grad_input, None, None


@torch.jit.script
def fused_gelu(x: torch.Tensor) -> torch.Tensor:
    return x * 0.5 * (1.0 + torch.erf(x / 1.41421))


class VectorQuantizer(nn.Module):
    def __init__(self, n_codes, dim, beta=0.25):
        super().__init__()
        self.codebook = nn.Embedding(n_codes, dim)
        self.codebook.weight.data.uniform_(-1.0 / n_codes, 1.0 / n_codes)
        self.beta = beta

    def forward(self, z):
        flat = z.reshape(-1, z.shape[-1])
        d = flat.pow(2).sum(1, keepdim=True) - 2 * flat @ self.codebook.weight.t() + self.codebook.weight.pow(2).sum(1)
        idx = d.argmin(1)
        zq = self.codebook(idx).view_as(z)
        loss = F.mse_loss(zq.detach(), z) * self.beta + F.mse_loss(zq, z.detach())
        zq = z + (zq - z).detach()
        return zq, loss, idx


class ClippedAct(nn.Module):
    def __init__(self, lo=-3.0, hi=3.0):
        super().__init__()
        self.lo, self.hi = lo, hi

    def forward(self, x):
        return fused_gelu(ClampWithGrad.apply(x, self.lo, self.hi))
