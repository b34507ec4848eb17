# corpus: NG016
"""Clean: every dropout here follows the module's mode, or is a deliberate choice: the flag passed
by position or keyword, a functional dropout only under `if self.training:`, dropout modules
built in `__init__`, a helper function that takes the flag from its caller, and an encoder whose
caller hands it the probability per call."""
import torch.nn.functional as F
from torch import nn


def drop_tokens(x, p, training):
    return F.dropout(x, p, training)


class Encoder(nn.Module):
    def __init__(self, dim, p=0.2):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.drop = nn.Dropout(p)
        self.p = p

    def forward(self, x, attn_p=0.0):
        x = F.dropout(x, self.p, self.training)
        x = F.dropout(x, p=self.p, training=self.training)
        if self.training:
            x = F.dropout1d(x, 0.1)
        x = drop_tokens(x, self.p, self.training)
        q = k = v = self.drop(self.fc(x))
        return F.scaled_dot_product_attention(q, k, v, dropout_p=attn_p)
