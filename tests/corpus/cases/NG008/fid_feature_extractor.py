# corpus: NG008
"""FID feature extractor: wraps a pretrained network, has no parameters of its own to train."""
import torch
from torch import nn
from torchvision.models import inception_v3


class InceptionFeatures(nn.Module):
    def __init__(self):
        super().__init__()
        self.model = inception_v3(weights="DEFAULT", aux_logits=True)
        self.model.fc = nn.Identity()
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))

    @torch.no_grad()
    def forward(self, images):
        images = nn.functional.interpolate(images, size=(299, 299), mode="bilinear", align_corners=False)
        return self.model((images - self.mean) / self.std)
