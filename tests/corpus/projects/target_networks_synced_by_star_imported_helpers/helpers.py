# corpus: NG001
"""Helpers of an actor-critic agent: copying weights between networks and turning arrays into
tensors. None of them freezes anything."""
import torch


def to_tensor(array, dtype=torch.float32):
    return torch.as_tensor(array).to(dtype)


def copy_weights(target, source):
    for t, s in zip(target.parameters(), source.parameters()):
        t.data.copy_(s.data)


def blend_weights(target, source, tau):
    for t, s in zip(target.parameters(), source.parameters()):
        t.data.copy_(t.data * (1.0 - tau) + s.data * tau)
