# corpus: NG001
"""A forecasting pipeline stores the model its constructor gets; the file builds it only from a
class method, passing a wrapper whose forward reads its configuration and asks the inner model to
generate (which disables grad itself). A second pipeline of the file is built with a scoring
module that computes with its own weight."""
import torch
from torch import nn


class Sampler(nn.Module):
    def __init__(self, config, inner):
        super().__init__()
        self.config = config
        self.inner = inner

    def forward(self, ids, steps=None):
        if steps is None:
            steps = self.config.horizon
        assert callable(getattr(self.inner, "generate", None))
        return self.inner.generate(input_ids=ids, max_new_tokens=steps)


class Scorer(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(width))

    def forward(self, x):
        return x * self.weight


class Forecast:
    def __init__(self, tokenizer, model):
        self.tokenizer = tokenizer
        self.model = model

    @classmethod
    def load(cls, config, inner, tokenizer):
        return cls(tokenizer=tokenizer, model=Sampler(config, inner))

    def predict(self, ids, horizon):
        out, left = [], horizon
        while left > 0:
            tokens = self.model(ids, min(left, 8))
            out.append(tokens)
            left -= tokens.shape[-1]
        return torch.cat(out, dim=-1)


class Ranking:
    def __init__(self, model):
        self.model = model

    @classmethod
    def build(cls, width):
        return cls(Scorer(width))

    def predict(self, batches):
        return [self.model(x) for x in batches]  # expect: NG001
