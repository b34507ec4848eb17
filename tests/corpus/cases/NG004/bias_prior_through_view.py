# corpus: NG004
"""Detection heads initialise the objectness and class biases with a prior. Writing into a `.view()`
of a bias that requires grad raises ("a view of a leaf Variable that requires grad is being used in
an in-place operation"); the second head does the same through `.data`, which is allowed."""
import math

import torch
from torch import nn


class Head(nn.Module):
    def __init__(self, channels, anchors=3, classes=80):
        super().__init__()
        self.anchors = anchors
        self.convs = nn.ModuleList(nn.Conv2d(c, anchors * (classes + 5), 1) for c in channels)

    def init_priors(self, strides):
        for conv, stride in zip(self.convs, strides):
            bias = conv.bias.view(self.anchors, -1)
            bias[:, 4] += math.log(8 / (640 / stride) ** 2)  # expect: NG004

    def init_priors_safely(self, strides):
        for conv, stride in zip(self.convs, strides):
            bias = conv.bias.data.view(self.anchors, -1)
            bias[:, 4] += math.log(8 / (640 / stride) ** 2)
