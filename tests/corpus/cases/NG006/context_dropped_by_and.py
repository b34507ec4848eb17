# corpus: NG006, NG001
"""Sampling helpers that meant to combine no_grad with mixed precision through `and`: `a and b`
evaluates to `b`, so the first one runs its decoding loop with gradients on. The second writes
the operands the other way round, which keeps the no_grad (the autocast is the one dropped), and
the third enters both."""
import torch


def sample(model, tokens, steps):
    model.eval()
    with torch.no_grad() and torch.autocast("cuda"):  # expect: NG006
        for _ in range(steps):  # expect: NG001
            logits = model(tokens)
            tokens = torch.cat([tokens, logits[:, -1:].argmax(-1)], dim=1)
    return tokens


def sample_reversed(model, tokens, steps):
    model.eval()
    with torch.autocast("cuda") and torch.no_grad():
        for _ in range(steps):
            logits = model(tokens)
            tokens = torch.cat([tokens, logits[:, -1:].argmax(-1)], dim=1)
    return tokens


def sample_both(model, tokens, steps):
    model.eval()
    with torch.no_grad(), torch.autocast("cuda"):
        for _ in range(steps):
            logits = model(tokens)
            tokens = torch.cat([tokens, logits[:, -1:].argmax(-1)], dim=1)
    return tokens
