# corpus: NG001
"""A Lightning classifier: its validation step runs under Lightning's own no_grad."""
import pytorch_lightning as pl
import torch
import torch.nn as nn
import torch.nn.functional as F


class ColaModel(pl.LightningModule):
    def __init__(self, vocab=1000, width=64):
        super().__init__()
        self.emb = nn.EmbeddingBag(vocab, width)
        self.fc = nn.Linear(width, 2)

    def forward(self, ids):
        return self.fc(self.emb(ids))

    def training_step(self, batch, batch_idx):
        return F.cross_entropy(self(batch["ids"]), batch["label"])

    def validation_step(self, batch, batch_idx):
        self.log("val_loss", F.cross_entropy(self(batch["ids"]), batch["label"]))

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-3)
