# corpus: NG001, NG003, NG012
"""pytorch_lightning (legacy import name): loops in test_step and validation hooks are already under no_grad (correct)."""
import pytorch_lightning as pl
import torch
import torch.nn.functional as F


class LitDetector(pl.LightningModule):
    def __init__(self, model, scales=(0.75, 1.0, 1.25)):
        super().__init__()
        self.model = model
        self.scales = scales
        self.val_scores = []

    def training_step(self, batch, batch_idx):
        images, targets = batch
        loss_dict = self.model(images, targets)
        loss = sum(loss_dict.values())
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        images, targets = batch
        self.model.eval()
        preds = self.model(images)
        self.val_scores.append(torch.stack([p["scores"].mean() for p in preds]).mean())

    def on_validation_epoch_end(self):
        self.log("val_score", torch.stack(self.val_scores).mean())
        self.val_scores.clear()
        self.model.train()

    def test_step(self, batch, batch_idx):
        images, _ = batch
        outs = []
        for s in self.scales:
            scaled = F.interpolate(images, scale_factor=s, mode="bilinear", align_corners=False)
            outs.append(self.model(scaled))
        return outs

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.01, momentum=0.9)
