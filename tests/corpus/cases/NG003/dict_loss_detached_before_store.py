# corpus: NG003
"""A trainer that keeps every step's output dict for the epoch summary. The first loop replaces
the backpropagated loss with a detached copy before storing the dict; the second stores the
dict with the live loss still in it."""
import torch


def run_epoch(module, optimizer, batches):
    kept = []
    for step, batch in enumerate(batches):
        optimizer.zero_grad()
        result = module.training_step(batch, step)
        result["loss"].backward()
        optimizer.step()
        result["loss"] = result["loss"].detach()
        kept.append(result)
    return kept


def run_epoch_leaky(module, optimizer, batches):
    kept = []
    for step, batch in enumerate(batches):
        optimizer.zero_grad()
        result = module.training_step(batch, step)
        result["loss"].backward()
        optimizer.step()
        kept.append(result)  # expect: NG003
    return kept
