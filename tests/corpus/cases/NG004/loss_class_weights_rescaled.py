# corpus: NG004
"""Class-balanced loss: the wrapper rescales the class weights of the criterion it is given, in
place, in its constructor. A loss's `weight` is a buffer (torch's `_WeightedLoss` registers it so;
no loss holds parameters), so the in-place update is fine with grad on. The layer below is a real
parameter update."""
import torch
from torch import nn


class ClassBalancedWrapper(nn.Module):
    def __init__(self, criterion: nn.Module, num_samples: torch.Tensor, beta: float = 0.99) -> None:
        super().__init__()
        self.criterion = criterion
        cb_weights = (1 - beta) / (1 - beta ** num_samples)
        if self.criterion.weight is None:
            self.criterion.weight = cb_weights
        else:
            self.criterion.weight *= cb_weights.to(device=self.criterion.weight.device)

    def forward(self, x, target):
        return self.criterion(x, target)


def shrink(layer: nn.Linear, factor: float):
    layer.weight *= factor  # expect: NG004
