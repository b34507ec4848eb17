# corpus: NG007
"""AWD-LSTM style dropouts: `.data` is only a template for a random mask; gradients flow through `x` (correct)."""
import torch
import torch.nn.functional as F
from torch import nn


def dropout_mask(x, sz, p):
    return x.new_empty(*sz).bernoulli_(1 - p).div_(1 - p)


class RNNDropout(nn.Module):
    def __init__(self, p=0.5):
        super().__init__()
        self.p = p

    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        return x * dropout_mask(x.data, (x.size(0), 1, *x.shape[2:]), self.p)


class LockedDropout(nn.Module):
    def forward(self, x, dropout=0.5):
        if not self.training or not dropout:
            return x
        m = x.data.new(1, x.size(1), x.size(2)).bernoulli_(1 - dropout)
        mask = m.requires_grad_(False) / (1 - dropout)
        mask = mask.expand_as(x)
        return mask * x


class EmbeddingDropout(nn.Module):
    def __init__(self, emb: nn.Embedding, embed_p: float):
        super().__init__()
        self.emb, self.embed_p = emb, embed_p

    def forward(self, words):
        if self.training and self.embed_p != 0:
            mask = dropout_mask(self.emb.weight.data, (self.emb.weight.size(0), 1), self.embed_p)
            masked_embed = self.emb.weight * mask
        else:
            masked_embed = self.emb.weight
        return F.embedding(words, masked_embed, self.emb.padding_idx)


class LanguageModel(nn.Module):
    def __init__(self, vocab, dim=400):
        super().__init__()
        self.encoder = EmbeddingDropout(nn.Embedding(vocab, dim), 0.1)
        self.rnn = nn.LSTM(dim, dim)
        self.drop = RNNDropout(0.3)
        self.decoder = nn.Linear(dim, vocab)

    def forward(self, tokens, hidden=None):
        out, hidden = self.rnn(self.drop(self.encoder(tokens)), hidden)
        return self.decoder(self.drop(out)), hidden


class WordDropout(nn.Module):
    """Old-API spelling of the same idea: the mask is wrapped in a Variable that never requires grad."""

    def __init__(self, p=0.05):
        super().__init__()
        self.p = p

    def forward(self, x):
        if not self.training or not self.p:
            return x
        m = x.data.new(x.size(0), x.size(1), 1).bernoulli_(1 - self.p)
        mask = torch.autograd.Variable(m, requires_grad=False)
        return mask * x
