# corpus: NG004, NG010
"""Fine-tuning only the classifier of a pretrained network."""
import torch
import torchvision


def build(num_classes):
    model = torchvision.models.resnet18(weights="IMAGENET1K_V1")
    for p in model.parameters():
        p.requires_grad_(False)
    model.fc = torch.nn.Linear(model.fc.in_features, num_classes)
    for name, param in model.named_parameters():
        param.requires_grad = name.startswith("fc.")
    trainable = [p for p in model.parameters() if p.requires_grad]
    return model, torch.optim.AdamW(trainable, lr=1e-3)
