# corpus: NG001, NG008, NG012
"""A LightningModule: Lightning runs validation/test/predict with grad disabled."""
import pytorch_lightning as pl
import torch
import torch.nn.functional as F
import torchmetrics


class LitClassifier(pl.LightningModule):
    def __init__(self, backbone, num_classes, lr=1e-3):
        super().__init__()
        self.backbone = backbone
        self.head = torch.nn.Linear(backbone.num_features, num_classes)
        self.val_acc = torchmetrics.Accuracy(task="multiclass", num_classes=num_classes)
        self.lr = lr

    def forward(self, x):
        return self.head(self.backbone(x))

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        crops, y = batch
        logits = torch.stack([self(crop) for crop in crops]).mean(0)
        self.val_acc(logits, y)
        self.log("val_acc", self.val_acc)

    def predict_step(self, batch, batch_idx, dataloader_idx=0):
        return [self(x).softmax(-1) for x in batch]

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.lr)
