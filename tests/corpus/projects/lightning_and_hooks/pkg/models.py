# corpus: NG001
"""Subclasses: Lightning hooks of a LightningModule defined in another file, and framework hooks."""
import torch

from pkg.base_module import BaseModule
from pkg.engine import Engine


class Segmenter(BaseModule):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def training_step(self, batch, idx):
        x, y = batch
        return torch.nn.functional.cross_entropy(self.net(x), y)

    def validation_step(self, batch, idx):
        x, y = batch
        tiles = [self.net(tile) for tile in x.split(256, dim=-1)]
        self.log("val_loss", torch.nn.functional.cross_entropy(torch.cat(tiles, -1), y))

    def on_validation_epoch_end(self):
        self.net.eval()
        probes = [self.net(p) for p in self.probe_batches]
        self.log("probe", torch.stack(probes).mean())


class SegEngine(Engine):
    def eval_step(self, batch):
        outputs = []
        for image in batch["images"]:
            outputs.append(self.model(image).argmax(0))
        return outputs
