# corpus: NG001
# A search space module whose method builds a new network from a choice: no forward pass.
import torch.nn as nn


class LayerSpace(nn.Module):
    def __init__(self, widths):
        super().__init__()
        self.widths = widths

    def materialize_model(self, choice, device):
        return nn.Sequential(nn.Linear(8, self.widths[choice]), nn.ReLU()).to(device)
