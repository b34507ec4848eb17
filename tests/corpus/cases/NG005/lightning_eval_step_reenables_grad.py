# corpus: NG005
"""A force-field LightningModule: the evaluation steps switch grad back on for the force
computation. Lightning runs them inside its own no_grad/inference_mode context, which
restores the previous mode when the loop exits, exception or not."""
import torch
from lightning.pytorch import LightningModule


class ForceTask(LightningModule):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def training_step(self, batch, batch_idx):
        return self.model(batch)["loss"]

    def validation_step(self, batch, batch_idx):
        torch.set_grad_enabled(True)
        out = self.model(batch)
        self.log("val_force_mae", (out["forces"] - batch["forces"]).abs().mean())

    def predict_step(self, batch, batch_idx):
        torch.set_grad_enabled(True)
        return self.model(batch)["forces"].detach()
