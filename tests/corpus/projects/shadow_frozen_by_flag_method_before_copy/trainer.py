# corpus: NG004
"""A GAN trainer keeps a moving-average copy of its generator. Before copying the averaged weights
in place it switches `requires_grad` off on both networks through a method that sets every
parameter to the flag it is handed, and switches it back on afterwards. With the flag off the
shadow's parameters are no longer leaves that require grad, so the in-place copy raises nothing.
The second average forgets the switch (it hands the flag True), and the third hands the shadow to
a logging helper of another file: those copies raise outside `no_grad`."""
import copy

import torch.nn as nn

from switches import describe, set_trainable


class GanTrainer:
    def __init__(self, width):
        self.gen = nn.Sequential(nn.Linear(width, width), nn.Tanh())
        self.shadow = copy.deepcopy(self.gen)

    def _grad_flag(self, module, flag):
        for weight in module.parameters():
            weight.requires_grad = flag

    def average(self, beta):
        self._grad_flag(self.shadow, False)
        self._grad_flag(self.gen, False)
        source = dict(self.gen.named_parameters())
        for name, target in self.shadow.named_parameters():
            target.copy_(beta * target + (1.0 - beta) * source[name])
        self._grad_flag(self.shadow, True)
        self._grad_flag(self.gen, True)

    def average_through_module_helper(self, beta):
        set_trainable(self.shadow, False)
        for target, weight in zip(self.shadow.parameters(), self.gen.parameters()):
            target.lerp_(weight, 1.0 - beta)
        set_trainable(self.shadow, True)

    def average_switched_on(self, beta):
        self._grad_flag(self.shadow, True)
        for target, weight in zip(self.shadow.parameters(), self.gen.parameters()):
            target.mul_(beta).add_(weight, alpha=1.0 - beta)  # expect: NG004

    def average_after_logging(self, beta):
        describe(self.shadow, False)
        for target, weight in zip(self.shadow.parameters(), self.gen.parameters()):
            target.lerp_(weight, 1.0 - beta)  # expect: NG004
