# corpus: NG001
"""A project-wide LightningModule base class (the subclasses live in other files)."""
import lightning.pytorch as L


class BaseModule(L.LightningModule):
    def configure_optimizers(self):
        import torch

        return torch.optim.Adam(self.parameters(), lr=1e-3)
