# corpus: NG014
"""A moving average module that detaches its input unless it is built to be differentiable:
the author decided where the graph goes (a differentiable average is wanted for some losses)."""
import torch
from torch import nn


class MovingAverage(nn.Module):
    def __init__(self, decay=0.99, differentiable=False):
        super().__init__()
        self.decay = decay
        self.differentiable = differentiable
        self.register_buffer("average", torch.zeros(1))

    def forward(self, inputs):
        if not self.differentiable:
            inputs = inputs.detach()
        self.average = self.decay * self.average + (1 - self.decay) * inputs
        return self.average
