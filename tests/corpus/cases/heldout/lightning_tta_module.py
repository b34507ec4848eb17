# corpus: NG001, NG003, NG008
"""LightningModule with validation outputs kept for the epoch end and TTA in predict_step (correct)."""
import torch
import torch.nn.functional as F
import lightning.pytorch as pl
from torch import nn


class LitSegmenter(pl.LightningModule):
    def __init__(self, backbone: nn.Module, num_classes: int, lr: float = 1e-3):
        super().__init__()
        self.backbone = backbone
        self.head = nn.Conv2d(256, num_classes, 1)
        self.lr = lr
        self.validation_step_outputs = []

    def forward(self, x):
        return self.head(self.backbone(x))

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.validation_step_outputs.append({"loss": loss, "pred": logits.argmax(1), "target": y})
        return loss

    def on_validation_epoch_end(self):
        preds = torch.cat([o["pred"] for o in self.validation_step_outputs])
        targets = torch.cat([o["target"] for o in self.validation_step_outputs])
        self.log("val_acc", (preds == targets).float().mean())
        self.log("val_loss", torch.stack([o["loss"] for o in self.validation_step_outputs]).mean())
        self.validation_step_outputs.clear()

    def predict_step(self, batch, batch_idx, dataloader_idx=0):
        x = batch[0] if isinstance(batch, (list, tuple)) else batch
        probs = []
        for flip in (None, [-1], [-2]):
            xi = x if flip is None else torch.flip(x, dims=flip)
            p = self(xi).softmax(1)
            probs.append(p if flip is None else torch.flip(p, dims=flip))
        return torch.stack(probs).mean(0)

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.lr)
        return {"optimizer": opt, "lr_scheduler": torch.optim.lr_scheduler.CosineAnnealingLR(opt, 50)}
