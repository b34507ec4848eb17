# corpus: NG001
"""Validation of an interatomic potential: forces are -dE/dpositions, computed with
autograd inside the model's forward, so grad mode must stay on. The weights are frozen
instead (no parameter graph), by a loop before the batches and by a context manager."""
from contextlib import contextmanager

import torch


@contextmanager
def weights_frozen(net):
    saved = {p: p.requires_grad for p in net.parameters()}
    try:
        for p in net.parameters():
            p.requires_grad = False
        yield
    finally:
        for p, flag in saved.items():
            p.requires_grad = flag


def validate_forces(model, loader):
    model.eval()
    err = 0.0
    with weights_frozen(model):
        for batch in loader:
            out = model(batch, compute_force=True)
            err += (out["forces"] - batch["forces"]).abs().mean().item()
    return err / len(loader)


def relax_all(model, structures):
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    energies = []
    for s in structures:
        energies.append(model(s, compute_force=True)["energy"].item())
    return energies
