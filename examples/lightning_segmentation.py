"""A Lightning module for semantic segmentation (U-Net-style decoder on a pretrained encoder),
with an EMA copy of the weights for evaluation.

Usage: python examples/lightning_segmentation.py --data ./cityscapes

This file has grad-mode bugs that nogradlint finds; each is marked with a `# BUG NGxxx` comment.
"""

from __future__ import annotations

import argparse
import copy

import lightning.pytorch as pl
import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision.models import resnet34


class Decoder(nn.Module):
    def __init__(self, channels=(512, 256, 128, 64), num_classes: int = 19) -> None:
        super().__init__()
        self.ups = nn.ModuleList(
            nn.Sequential(nn.Conv2d(c, c // 2, 3, padding=1), nn.BatchNorm2d(c // 2), nn.ReLU(inplace=True))
            for c in channels
        )
        self.out = nn.Conv2d(channels[-1] // 2, num_classes, 1)

    @torch.no_grad()  # BUG NG008: this decoder is trained (its parameters go to the optimizer), but no gradient reaches them
    def forward(self, features: torch.Tensor) -> torch.Tensor:
        x = features
        for up in self.ups:
            x = F.interpolate(up(x), scale_factor=2, mode="bilinear", align_corners=False)
        return self.out(x)


class SegmentationModule(pl.LightningModule):
    def __init__(self, num_classes: int = 19, lr: float = 1e-3, ema_decay: float = 0.999) -> None:
        super().__init__()
        self.save_hyperparameters()
        backbone = resnet34(weights="IMAGENET1K_V1")
        self.encoder = nn.Sequential(*list(backbone.children())[:-2])
        self.decoder = Decoder(num_classes=num_classes)
        self.ema = copy.deepcopy(nn.ModuleDict({"encoder": self.encoder, "decoder": self.decoder}))
        self.ema.requires_grad_(False)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        logits = self.decoder(self.encoder(images))
        return F.interpolate(logits, size=images.shape[-2:], mode="bilinear", align_corners=False)

    def training_step(self, batch, batch_idx):
        images, masks = batch
        logits = self(images)
        loss = F.cross_entropy(logits, masks, ignore_index=255)
        self.log("train/loss", loss, prog_bar=True)
        return loss

    def on_train_batch_end(self, outputs, batch, batch_idx) -> None:
        self.update_ema()

    @torch.no_grad()
    def update_ema(self) -> None:
        # EMA of the weights under no_grad, through the state dicts (correct).
        online = {**{f"encoder.{k}": v for k, v in self.encoder.state_dict().items()},
                  **{f"decoder.{k}": v for k, v in self.decoder.state_dict().items()}}
        for name, value in self.ema.state_dict().items():
            if value.dtype.is_floating_point:
                value.mul_(self.hparams.ema_decay).add_(online[name], alpha=1 - self.hparams.ema_decay)

    def validation_step(self, batch, batch_idx):
        # Lightning runs validation with grad disabled: no `torch.no_grad()` needed here.
        images, masks = batch
        logits = self(images)
        preds = logits.argmax(1)
        valid = masks != 255
        self.log("val/pixel_acc", (preds[valid] == masks[valid]).float().mean(), prog_bar=True)

    def configure_optimizers(self):
        params = list(self.encoder.parameters()) + list(self.decoder.parameters())
        opt = torch.optim.AdamW(params, lr=self.hparams.lr, weight_decay=1e-4)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=self.trainer.max_epochs)
        return [opt], [sched]


def distill_boundary_head(student: nn.Module, teacher: nn.Module, loader, epochs: int = 1) -> None:
    """Teach a small boundary head from the segmentation teacher (runs after training)."""
    opt = torch.optim.Adam(student.parameters(), lr=1e-4)
    teacher.eval()
    for _ in range(epochs):
        for images, _ in loader:
            with torch.no_grad():
                target = teacher(images).softmax(1)
                pred = student(images)
                loss = F.kl_div(pred.log_softmax(1), target, reduction="batchmean")
            opt.zero_grad()
            loss.backward()  # BUG NG002: the loss was computed under no_grad; it has no graph to backpropagate
            opt.step()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="./cityscapes")
    parser.add_argument("--epochs", type=int, default=50)
    args = parser.parse_args()
    from cityscapes_data import CityscapesDataModule  # the project's own data module

    trainer = pl.Trainer(max_epochs=args.epochs, precision="16-mixed", log_every_n_steps=20)
    trainer.fit(SegmentationModule(), datamodule=CityscapesDataModule(args.data))


if __name__ == "__main__":
    main()
