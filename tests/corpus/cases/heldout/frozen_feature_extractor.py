# corpus: NG008, NG007
"""Perceptual loss with a frozen VGG (no_grad forward is fine) and a trainable head decorated by mistake."""
import torch
import torch.nn.functional as F
from torch import nn
from torchvision.models import vgg16


class VGGFeatures(nn.Module):
    def __init__(self, layers=(3, 8, 15, 22)):
        super().__init__()
        features = vgg16(weights="DEFAULT").features
        self.slices = nn.ModuleList()
        prev = 0
        for idx in layers:
            self.slices.append(nn.Sequential(*[features[i] for i in range(prev, idx + 1)]))
            prev = idx + 1
        self.requires_grad_(False)
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))

    def forward(self, x):
        x = (x - self.mean) / self.std
        feats = []
        for s in self.slices:
            x = s(x)
            feats.append(x)
        return feats


class PerceptualLoss(nn.Module):
    def __init__(self):
        super().__init__()
        self.vgg = VGGFeatures()

    def forward(self, pred, target):
        with torch.no_grad():
            target_feats = self.vgg(target)
        return sum(F.l1_loss(p, t) for p, t in zip(self.vgg(pred), target_feats))


class ProjectionHead(nn.Module):
    def __init__(self, in_dim, out_dim=128):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(in_dim, in_dim), nn.ReLU(inplace=True), nn.Linear(in_dim, out_dim))

    @torch.no_grad()  # expect: NG008
    def forward(self, x):
        return F.normalize(self.mlp(x), dim=-1)


class FrozenCLIPEmbedder(nn.Module):
    def __init__(self, transformer):
        super().__init__()
        self.transformer = transformer
        self.proj = nn.Linear(768, 768)
        self.freeze()

    def freeze(self):
        self.transformer = self.transformer.eval()
        for param in self.parameters():
            param.requires_grad = False

    @torch.no_grad()
    def forward(self, tokens):
        return self.proj(self.transformer(tokens).last_hidden_state)
