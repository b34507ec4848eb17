# corpus: NG010
"""Fine-tuning only the last layer of a pretrained classifier, written with assignments: the
feature extractor and the classifier are "frozen", then the last classifier layer "unfrozen" by its
index. All three set plain attributes on modules; fixing only the first two would freeze the whole
network and make `backward()` raise. The prompt table is a ParameterList, whose elements are
parameters: setting `requires_grad` on one of them does freeze it."""
import torch
from torch import nn


class AgeRegressor(nn.Module):
    def __init__(self, backbone):
        super().__init__()
        self.backbone = backbone
        self.prompts = nn.ParameterList([nn.Parameter(torch.zeros(8)) for _ in range(4)])

    def forward(self, x):
        return self.backbone(x + self.prompts[0].sum())


def build(backbone):
    model = AgeRegressor(backbone)
    model.backbone.features.requires_grad = False  # expect: NG010
    model.backbone.classifier.requires_grad = False  # expect: NG010
    model.backbone.classifier[6].requires_grad = True  # expect: NG010
    model.prompts[1].requires_grad = False
    return model
