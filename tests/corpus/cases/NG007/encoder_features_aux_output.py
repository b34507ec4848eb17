# corpus: NG007
"""A classifier that returns its features as an auxiliary output, but also feeds the classifier from `.data`: the encoder gets no gradient at all."""
import torch
from torch import nn
import torch.nn.functional as F


class FeatureClassifier(nn.Module):
    def __init__(self, encoder: nn.Module, dim: int, num_classes: int):
        super().__init__()
        self.encoder = encoder
        self.classifier = nn.Linear(dim, num_classes)

    def forward(self, x):
        features = F.normalize(self.encoder(x), dim=-1)
        logits = self.classifier(features.data)  # expect: NG007
        return logits, features.data  # expect: NG007
