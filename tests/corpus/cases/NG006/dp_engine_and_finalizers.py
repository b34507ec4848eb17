# corpus: NG006
"""Differentially private fine-tuning with a privacy engine that is attached for the run and
detached afterwards, plus a pinned-buffer pool whose weakref finalizers are cancelled on
explicit release. Every `.detach()` here is the object's own method, not `Tensor.detach()`."""
import weakref

import torch
from torch import nn, optim
from opacus import PrivacyEngine


class PinnedPool:
    def __init__(self):
        self._finalizers = {}

    def pin(self, tensor: torch.Tensor) -> torch.Tensor:
        pinned = tensor.pin_memory()
        self._finalizers[pinned.data_ptr()] = weakref.finalize(pinned, print, "freed")
        return pinned

    def release(self, tensor: torch.Tensor) -> None:
        finalizer = self._finalizers.pop(tensor.data_ptr(), None)
        if finalizer is not None:
            finalizer.detach()


def train_private(model: nn.Module, loader, epochs: int = 1):
    engine = PrivacyEngine(model, batch_size=32, sample_size=len(loader.dataset), noise_multiplier=1.1,
                           max_grad_norm=1.0)
    optimizer = optim.SGD(model.parameters(), lr=0.05)
    engine.attach(optimizer)
    for _ in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()
    engine.detach()
    return model
