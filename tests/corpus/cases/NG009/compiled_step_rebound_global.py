# corpus: NG009
"""A generation script swaps its step function for a compiled one while inference mode is on:
`torch.compile` gives a function, so no tensor escapes. The table of logits it keeps is one."""
import torch
from torch import nn

cache = {}


def decode_step(model, tokens):
    return model(tokens).argmax(-1)


@torch.inference_mode()
def generate(model: nn.Module, tokens, compiled=False):
    global decode_step
    if compiled:
        decode_step = torch.compile(decode_step, mode="reduce-overhead")
        torch.cuda.is_available()
    out = decode_step(model, tokens)
    cache["last"] = model(tokens)  # expect: NG009
    return out
