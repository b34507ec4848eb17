# corpus: NG004
"""A prompt-tuning helper that re-draws the soft prompt when it collapses.

The soft prompt is already a leaf that requires grad when it is re-initialised, so the in-place
`normal_` inside the new Parameter's argument still raises.
"""
import torch
from torch import nn


class SoftPrompt(nn.Module):
    def __init__(self, n_tokens: int, dim: int):
        super().__init__()
        self.prompt = nn.Parameter(torch.zeros(n_tokens, dim))

    def forward(self, embeds):
        batch = embeds.size(0)
        return torch.cat([self.prompt.expand(batch, -1, -1), embeds], dim=1)

    def redraw_if_collapsed(self, std: float = 0.02):
        if self.prompt.std() < 1e-6:
            self.prompt = nn.Parameter(self.prompt.normal_(0.0, std))  # expect: NG004
        return self


def fresh_prompt(n_tokens: int, dim: int):
    w = torch.zeros(n_tokens, dim, requires_grad=True)
    w = nn.Parameter(w.uniform_(-0.5, 0.5))  # expect: NG004
    return w
