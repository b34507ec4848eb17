# corpus: NG010, NG004
"""Fine-tuning script that means to freeze the backbone but misspells the attribute."""
import torch
import torchvision


def build_model(num_classes=10):
    model = torchvision.models.resnet50(weights="IMAGENET1K_V2")
    for param in model.parameters():
        param.require_grad = False  # expect: NG010
    model.fc = torch.nn.Linear(model.fc.in_features, num_classes)
    optimizer = torch.optim.SGD(filter(lambda p: p.requires_grad, model.parameters()), lr=0.01, momentum=0.9)
    return model, optimizer
