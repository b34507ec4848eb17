# corpus: NG008
"""A linear-probe head whose forward was decorated while debugging memory use."""
import torch
from torch import nn


class ProbeHead(nn.Module):
    def __init__(self, in_features, num_classes, dropout=0.1):
        super().__init__()
        self.norm = nn.LayerNorm(in_features)
        self.drop = nn.Dropout(dropout)
        self.fc = nn.Linear(in_features, num_classes)

    @torch.no_grad()  # expect: NG008
    def forward(self, features):
        return self.fc(self.drop(self.norm(features)))


def build(backbone, num_classes):
    head = ProbeHead(backbone.num_features, num_classes)
    optimizer = torch.optim.AdamW(head.parameters(), lr=1e-3)
    return head, optimizer
