# corpus: NG017
# Plain layers: no dropout, no batch norm, nothing reads self.training.
import torch.nn as nn


class Mlp(nn.Module):
    def __init__(self, d, k, dropout=0.0):
        super().__init__()
        self.hidden = nn.Linear(d, 128)
        self.out = nn.Linear(128, k)

    def forward(self, x):
        return self.out(self.hidden(x).relu())
