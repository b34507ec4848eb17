# corpus: NG006
"""A forward that can freeze the encoder: the context manager is chosen, then entered."""
import contextlib

import torch
from torch import nn


class Classifier(nn.Module):
    def __init__(self, encoder, num_classes, freeze_encoder=True):
        super().__init__()
        self.encoder = encoder
        self.freeze_encoder = freeze_encoder
        self.head = nn.Linear(encoder.out_dim, num_classes)

    def forward(self, x):
        ctx = torch.no_grad() if self.freeze_encoder else contextlib.nullcontext()
        with ctx:
            feats = self.encoder(x)
        return self.head(feats)

    def reset_state(self, state):
        state.detach_()
        return state
