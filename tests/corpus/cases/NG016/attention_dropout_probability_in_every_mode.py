# corpus: NG016
"""A transformer block hands its attention-dropout probability straight to
`scaled_dot_product_attention`, which drops out whenever it is positive; another block builds a
dropout module inside `forward`, which `model.eval()` never reaches. A third block drops out only
under `if self.training:` and a Monte Carlo head asks for dropout in every mode on purpose."""
import torch.nn.functional as F
from torch import nn


class Block(nn.Module):
    def __init__(self, dim, attn_drop=0.1):
        super().__init__()
        self.qkv = nn.Linear(dim, 3 * dim)
        self.attn_drop = attn_drop

    def forward(self, x):
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        return F.scaled_dot_product_attention(q, k, v, dropout_p=self.attn_drop)  # expect: NG016


class Pool(nn.Module):
    def forward(self, x):
        return nn.Dropout(0.2)(x.mean(1))  # expect: NG016


class Guarded(nn.Module):
    def forward(self, x):
        if self.training:
            x = F.dropout(x, 0.3)
        return x


class MonteCarloHead(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.fc = nn.Linear(dim, 1)

    def forward(self, x):
        return self.fc(F.dropout(x, 0.5, training=True))
