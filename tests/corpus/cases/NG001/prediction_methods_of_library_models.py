# corpus: NG001
"""A model library's classes derive from a base class of another package (a pretrained-model base
that is an `nn.Module`). Their helper methods run a sub-network and hand back indices or masks:
whether gradients are on is their caller's choice, as for `forward`, so none is reported here."""
import torch
from torch import nn
from transformers import PreTrainedModel


class Codebook(PreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        self.blocks = nn.Sequential(nn.Conv2d(3, 64, 3), nn.ReLU(), nn.Conv2d(64, 512, 1))

    def get_codebook_indices(self, pixel_values):
        z_logits = self.blocks(pixel_values)
        return torch.argmax(z_logits, axis=1)

    def predict_route(self, hidden):
        return torch.sigmoid(self.blocks(hidden)) >= 0.5
