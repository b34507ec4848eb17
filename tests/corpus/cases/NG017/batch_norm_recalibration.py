# corpus: NG017
# After averaging weights, batch norm statistics are recomputed in training mode on purpose.
import torch
import torch.nn as nn


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.bn = nn.BatchNorm2d(8)

    def forward(self, x):
        return self.bn(self.conv(x))


def refresh_statistics(path, loader):
    backbone = Backbone()
    backbone.load_state_dict(torch.load(path))
    backbone.train()
    with torch.no_grad():
        for images in loader:
            backbone(images)
    return backbone
