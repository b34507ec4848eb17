# corpus: NG016
"""A fine-grained classifier's head builds `nn.Dropout(p=0.5)` inside `forward` and calls it at
once: the new module is in training mode and no submodule of the network, so `model.eval()` never
reaches it and test accuracy is measured with dropout on. The spatial dropout of the feature map
leaves `training` at its default too."""
import torch
import torch.nn.functional as F
from torch import nn


class PartNet(nn.Module):
    def __init__(self, backbone, classes):
        super().__init__()
        self.backbone = backbone
        self.fc = nn.Linear(2048, classes)

    def forward(self, x):
        feats = self.backbone(x)
        feats = F.dropout2d(feats, 0.1)  # expect: NG016
        pooled = torch.flatten(F.adaptive_avg_pool2d(feats, 1), 1)
        pooled = nn.Dropout(p=0.5)(pooled)  # expect: NG016
        return self.fc(pooled)
