# corpus: NG001
"""A forecaster wraps a seq2seq model in a module whose forward only asks the inner model to
generate (Hugging Face's `generate` disables grad itself): a loop of its calls records nothing.
A scaler module of the same file computes with its own weight in forward: that loop records a
graph per batch."""
import torch
from torch import nn


class Sampler(nn.Module):
    def __init__(self, inner):
        super().__init__()
        self.model = inner

    def forward(self, ids, mask, n):
        return self.model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=n)


class Scaler(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(width))

    def forward(self, x):
        return x * self.weight


class Forecaster:
    def __init__(self, inner, width):
        self.model = Sampler(inner)
        self.scaler = Scaler(width)

    def predict(self, ids, mask, length):
        out = []
        remaining = length
        while remaining > 0:
            tokens = self.model(ids, mask, min(remaining, 8))
            out.append(tokens)
            remaining -= tokens.shape[-1]
        return torch.cat(out, dim=-1)

    def predict_scaled(self, batches):
        return [self.scaler(x) for x in batches]  # expect: NG001
