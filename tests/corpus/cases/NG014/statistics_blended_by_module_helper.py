# corpus: NG014
"""Layer normalisers written from scratch, whose running statistics are blended by a helper
function of the file and stored back by tuple unpacking. The helper blends what the forward
passes it with statistics of the (graph-carrying) input: the graph of every call stays chained to
the module's state. The other layers detach, update under no_grad, sum, or blend what they do not
store."""
import torch
from torch import nn


def scale_step(x, weight, running_scale, momentum):
    scale = x.abs().mean(dim=0)
    if torch.is_grad_enabled():
        running_scale = momentum * scale + (1.0 - momentum) * running_scale
    return x / (scale + 1e-5) * weight, running_scale


def scale_step_detached(x, weight, running_scale, momentum):
    scale = x.abs().mean(dim=0)
    running_scale = momentum * scale + (1.0 - momentum) * running_scale
    return x / (scale + 1e-5) * weight, running_scale.detach()


def count_step(x, seen):
    seen = seen + x.shape[0]
    return x, seen


class ScaleNorm(nn.Module):
    def __init__(self, n, momentum=0.1):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(n))
        self.running_scale = torch.ones(n)
        self.momentum = momentum

    def forward(self, x):
        y, self.running_scale = scale_step(x, self.weight, self.running_scale, self.momentum)  # expect: NG014
        return y


class ScaleNormDetached(ScaleNorm):
    def forward(self, x):
        y, self.running_scale = scale_step_detached(x, self.weight, self.running_scale, self.momentum)
        return y


class ScaleNormNoGrad(ScaleNorm):
    def forward(self, x):
        with torch.no_grad():
            _, self.running_scale = scale_step(x, self.weight, self.running_scale, self.momentum)
        return x / self.running_scale * self.weight


class ScaleNormOfDetachedInput(ScaleNorm):
    def forward(self, x):
        _, self.running_scale = scale_step(x.detach(), self.weight, self.running_scale, self.momentum)
        return x / self.running_scale * self.weight


class Counter(nn.Module):
    def __init__(self):
        super().__init__()
        self.seen = 0

    def forward(self, x):
        x, self.seen = count_step(x, self.seen)
        return x


class OtherStatistic(ScaleNorm):
    def forward(self, x):
        y, self.last_scale = scale_step(x, self.weight, self.running_scale, self.momentum)
        return y
