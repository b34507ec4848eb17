# corpus: NG016
"""A text classifier applies dropout to its pooled features with `F.dropout(x, p)`, leaving
`training` at its default: validation keeps zeroing half the features after `model.eval()`. The
attention block beside it ties its dropout to the mode and is fine; so is a helper function of no
module, whose caller passes the probability."""
import torch
import torch.nn.functional as F
from torch import nn


def noisy(x, p):
    return F.dropout(x, p)


class Attention(nn.Module):
    def __init__(self, dim, p=0.1):
        super().__init__()
        self.qkv = nn.Linear(dim, 3 * dim)
        self.p = p

    def forward(self, x):
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        return F.scaled_dot_product_attention(q, k, v, dropout_p=self.p if self.training else 0.0)


class TextClassifier(nn.Module):
    def __init__(self, vocab, dim, classes):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.attn = Attention(dim)
        self.out = nn.Linear(dim, classes)

    def forward(self, tokens):
        h = self.attn(self.embed(tokens)).mean(1)
        h = F.dropout(h, 0.5)  # expect: NG016
        return self.out(h)
