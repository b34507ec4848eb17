# corpus: NG016
"""Clean: an attention layer written as the transformers library writes them: the eager path's
`nn.functional.dropout(..., training=self.training)` and the fused path's probability chosen by
the mode, and a vision block that reads its dropout module's `p` only while training."""
import torch
from torch import nn


class EagerAttention(nn.Module):
    def __init__(self, dim, heads, attention_dropout=0.1):
        super().__init__()
        self.q = nn.Linear(dim, dim)
        self.k = nn.Linear(dim, dim)
        self.v = nn.Linear(dim, dim)
        self.heads = heads
        self.attention_dropout = attention_dropout

    def forward(self, x, fused=False):
        q, k, v = self.q(x), self.k(x), self.v(x)
        if fused:
            return nn.functional.scaled_dot_product_attention(
                q, k, v, dropout_p=0.0 if not self.training else self.attention_dropout)
        weights = torch.softmax(q @ k.transpose(-1, -2), dim=-1)
        weights = nn.functional.dropout(weights, p=self.attention_dropout, training=self.training)
        return weights @ v


class VisionBlock(nn.Module):
    def __init__(self, dim, attn_drop=0.0):
        super().__init__()
        self.qkv = nn.Linear(dim, 3 * dim)
        self.attn_drop = nn.Dropout(attn_drop)

    def forward(self, x):
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        return nn.functional.scaled_dot_product_attention(
            q, k, v, dropout_p=self.attn_drop.p if self.training else 0.0)
