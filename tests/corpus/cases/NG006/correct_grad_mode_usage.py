# corpus: NG006, NG001, NG003
"""Grad-mode context managers used correctly in several styles."""
import contextlib

import torch


@torch.no_grad
def ema_update(ema, model, decay=0.999):
    for e, p in zip(ema.parameters(), model.parameters()):
        e.lerp_(p, 1 - decay)


def evaluate(model, loader, use_amp=False):
    model.eval()
    amp = torch.autocast("cuda") if use_amp else contextlib.nullcontext()
    correct = 0
    with torch.inference_mode(), amp:
        for x, y in loader:
            correct += (model(x).argmax(1) == y).sum().item()
    return correct


def run_rnn(rnn, chunks):
    hidden = None
    outputs = []
    for chunk in chunks:  # expect: NG001 (detached outputs: nothing backpropagates)
        out, hidden = rnn(chunk, hidden)
        hidden = tuple(h.detach() for h in hidden)
        outputs.append(out.detach())
    return outputs
