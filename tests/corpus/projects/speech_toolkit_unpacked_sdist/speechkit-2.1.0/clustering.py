# corpus: NG001
# A module class with no parameters: it groups embeddings with plain Python helpers.
import torch
from torch import nn


class AgglomerativeHelper:
    def __init__(self, threshold=0.7, max_groups=8):
        self.threshold = threshold
        self.max_groups = max_groups

    def __call__(self, similarity):
        return (similarity > self.threshold).sum(dim=1).clamp(max=self.max_groups).tolist()


class SpeakerClusterer(nn.Module):
    def __init__(self, threshold=0.7):
        super().__init__()
        self.options = {"threshold": threshold}
        self.grouper = AgglomerativeHelper(threshold)

    def forward(self, embeddings):
        normed = embeddings / embeddings.norm(dim=1, keepdim=True)
        return self.grouper(normed @ normed.T)
