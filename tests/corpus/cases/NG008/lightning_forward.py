# corpus: NG008, NG001
"""A LightningModule whose forward (used by training_step through self(x)) disables grad."""
import lightning.pytorch as L
import torch
from torch import nn


class Regressor(L.LightningModule):
    def __init__(self, in_dim, hidden=128):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(in_dim, hidden), nn.GELU(), nn.Linear(hidden, 1))

    @torch.no_grad()  # expect: NG008
    def forward(self, x):
        return self.net(x).squeeze(-1)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.mse_loss(self(x), y)
        self.log("train/mse", loss)
        return loss

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-3)
