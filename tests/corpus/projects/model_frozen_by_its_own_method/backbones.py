# corpus: NG001
# A self-supervised model whose class can freeze its own parts; the scripts beside it build one
# through a factory, so only this file's methods say what a call on the model does.
from torch import nn


class PretextModel(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.trunk = nn.Sequential(nn.Conv2d(3, width, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.heads = nn.ModuleList([nn.Linear(width, 16), nn.Linear(width, 4)])

    def forward(self, images):
        features = self.trunk(images)
        return [head(features) for head in self.heads]

    def lock_heads(self):
        for head in self.heads:
            for weight in head.parameters():
                weight.requires_grad = False

    def lock_trunk(self):
        self.trunk.requires_grad_(False)

    def lock_everything(self):
        self.lock_trunk()
        self.lock_heads()

    def warm_start(self, path):
        # Loads weights and leaves every layer trainable again: it freezes nothing for good.
        self.lock_everything()
        for weight in self.parameters():
            weight.requires_grad = True

    def summary(self):
        return sum(p.numel() for p in self.parameters())


def build(width):
    return PretextModel(width)
