# corpus: NG008, NG002
"""A distillation teacher, frozen in its constructor."""
import torch
from torch import nn


class Teacher(nn.Module):
    def __init__(self, backbone, num_classes):
        super().__init__()
        self.backbone = backbone
        self.head = nn.Linear(backbone.num_features, num_classes)
        self.requires_grad_(False)
        self.eval()

    @torch.no_grad()
    def forward(self, x):
        return self.head(self.backbone(x))
