# corpus: NG016
"""Clean: a Lightning module's network drops out through its own flag and through a submodule;
its `training_step` applies extra feature dropout only under `if self.training:`."""
import torch.nn.functional as F
import lightning as L
from torch import nn


class Tagger(L.LightningModule):
    def __init__(self, vocab, dim, tags, p=0.3):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.rnn = nn.GRU(dim, dim, batch_first=True, dropout=p, num_layers=2)
        self.out = nn.Linear(dim, tags)
        self.drop = nn.Dropout(p)
        self.p = p

    def forward(self, tokens):
        h, _ = self.rnn(self.drop(self.embed(tokens)))
        return self.out(F.dropout(h, self.p, training=self.training))

    def training_step(self, batch, batch_idx):
        tokens, tags = batch
        logits = self(tokens)
        if self.training:
            logits = F.dropout(logits, 0.05)
        return F.cross_entropy(logits.flatten(0, 1), tags.flatten())
