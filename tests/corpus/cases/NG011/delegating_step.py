# corpus: NG011
"""A scheduler-aware wrapper that hands the closure on to the wrapped optimizer."""
import torch


class WarmupWrapper:
    def __init__(self, optimizer, warmup_steps=1000):
        self.optimizer, self.warmup_steps, self.steps = optimizer, warmup_steps, 0
        self.base_lrs = [g["lr"] for g in optimizer.param_groups]

    @torch.no_grad()
    def step(self, closure=None):
        self.steps += 1
        scale = min(1.0, self.steps / self.warmup_steps)
        for group, base in zip(self.optimizer.param_groups, self.base_lrs):
            group["lr"] = base * scale
        return self.optimizer.step(closure)
