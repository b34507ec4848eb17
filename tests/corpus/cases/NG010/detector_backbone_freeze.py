# corpus: NG010
"""Detector setup freezing the first stages of a torchvision backbone."""
import torchvision
from torchvision.models.detection import fasterrcnn_resnet50_fpn


def make_detector(num_classes, trainable_layers=3):
    backbone = torchvision.models.resnet50(weights=None)
    backbone.requires_grad = False  # expect: NG010
    model = fasterrcnn_resnet50_fpn(weights=None, num_classes=num_classes)
    stages = ["layer4", "layer3", "layer2", "layer1", "conv1"][:trainable_layers]
    for name, parameter in model.backbone.body.named_parameters():
        if all(not name.startswith(layer) for layer in stages):
            parameter.requires_grad_(False)
    return model
