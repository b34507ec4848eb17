# corpus: NG011
"""SAM as published: the closure is wrapped with torch.enable_grad() before use."""
import torch


class SAM(torch.optim.Optimizer):
    def __init__(self, params, base_optimizer, rho=0.05, **kwargs):
        super().__init__(params, dict(rho=rho, **kwargs))
        self.base_optimizer = base_optimizer(self.param_groups, **kwargs)

    @torch.no_grad()
    def step(self, closure=None):
        assert closure is not None, "SAM requires a closure"
        closure = torch.enable_grad()(closure)
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    e_w = group["rho"] * p.grad / (p.grad.norm() + 1e-12)
                    p.add_(e_w)
                    self.state[p]["e_w"] = e_w
        self.zero_grad()
        closure()
        for group in self.param_groups:
            for p in group["params"]:
                if "e_w" in self.state[p]:
                    p.sub_(self.state[p]["e_w"])
        self.base_optimizer.step()
