# corpus: NG008, NG001, NG002
"""Exponential moving average of a model's weights (iterating state_dict values under no_grad)."""
import copy

import torch
from torch import nn


class ModelEMA(nn.Module):
    def __init__(self, model, decay=0.9999):
        super().__init__()
        self.module = copy.deepcopy(model).eval()
        self.decay = decay

    @torch.no_grad()
    def update(self, model):
        msd = model.state_dict()
        for k, ema_v in self.module.state_dict().items():
            if ema_v.dtype.is_floating_point:
                ema_v.mul_(self.decay).add_(msd[k].detach(), alpha=1 - self.decay)

    @torch.no_grad()
    def forward(self, x):
        return self.module(x)
