# corpus: NG005
"""A reusable context manager implemented with the global switch (its __exit__ restores)."""
import torch


class frozen_grad:
    def __init__(self, enabled=False):
        self.enabled = enabled
        self.prev = None

    def __enter__(self):
        self.prev = torch.is_grad_enabled()
        torch.set_grad_enabled(self.enabled)
        return self

    def __exit__(self, exc_type, exc, tb):
        torch.set_grad_enabled(self.prev)
        return False


def run(model, x):
    with frozen_grad():
        return model(x)
