# corpus: NG010
"""Fine-tuning script: freezes some layers correctly, and two freezes that do nothing."""
import torch
from torch import nn
from torchvision import models


def build_model(num_classes, freeze_backbone=True, freeze_bn=False):
    model = models.resnet50(weights="IMAGENET1K_V2")
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    if freeze_backbone:
        for name, param in model.named_parameters():
            if not name.startswith("fc."):
                param.requires_grad = False
    if freeze_bn:
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.eval()
                m.weight.requires_grad_(False)
                m.bias.requires_grad_(False)
    return model


def unfreeze_last_stage(model):
    for p in model.layer4.parameters():
        p.requires_grad = True
    model.layer4.train()


class TwoTower(nn.Module):
    def __init__(self, text_encoder, image_encoder, dim=512):
        super().__init__()
        self.text_encoder = text_encoder
        self.image_encoder = image_encoder
        self.image_encoder.requires_grad = False  # expect: NG010
        self.proj = nn.Linear(dim, dim)

    def freeze_text(self):
        for p in self.text_encoder.parameters():
            p.require_grad = False  # expect: NG010

    def forward(self, text, image):
        return self.proj(self.text_encoder(text)), self.image_encoder(image)


def trainable_parameters(model):
    return [p for p in model.parameters() if p.requires_grad]


def make_optimizer(model, lr=1e-4):
    return torch.optim.AdamW(trainable_parameters(model), lr=lr, weight_decay=0.05)
