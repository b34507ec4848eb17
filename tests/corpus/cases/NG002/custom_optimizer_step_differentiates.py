# corpus: NG002
"""A natural-gradient optimizer whose `step` is not decorated: it runs in its caller's grad mode
(grad on, in a training loop), and its helper differentiates the KL twice to build
Hessian-vector products. Only torch's own optimizers run `step` under no_grad."""
import torch
from torch.optim import Optimizer


class ConjugateGradient(Optimizer):
    def __init__(self, params, damping=0.1):
        super().__init__(params, dict(damping=damping))

    def _hessian_vector(self, kl_fn, params, vector):
        kl = kl_fn()
        grads = torch.autograd.grad(kl, params, create_graph=True)
        flat = torch.cat([g.reshape(-1) for g in grads])
        return torch.autograd.grad((flat * vector).sum(), params)

    def step(self, kl_fn, direction):
        params = [p for group in self.param_groups for p in group["params"]]
        hvp = self._hessian_vector(kl_fn, params, direction)
        with torch.no_grad():
            for p, h in zip(params, hvp):
                p.sub_(self.defaults["damping"] * h)
