# corpus: NG010
# An audio encoder's `set_trainable` only touches parameters that already require grad, so
# `set_trainable(True)` after `set_trainable(False)` makes nothing trainable again: fine-tuning
# trains no encoder weight. The freezing helper below (a constant) and the trainable-parameter
# count are fine.
import torch
from torch import nn


class AudioEncoder(nn.Module):
    def __init__(self, n_mels=64, d=512):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 64, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.fc = nn.Linear(64, d)

    def set_trainable(self, trainable=False):
        for p in self.parameters():
            if p.requires_grad:
                p.requires_grad = trainable  # expect: NG010

    def freeze_trainable(self):
        for p in self.parameters():
            if p.requires_grad:
                p.requires_grad = False

    def trainable_count(self):
        return sum(p.numel() for p in self.parameters() if p.requires_grad)
