# corpus: NG002
"""Fine-tuning a head on cached features; the whole step sits under inference_mode."""
import torch
from torch import nn


def finetune_head(backbone, head, loader, epochs=3, lr=1e-3):
    optimizer = torch.optim.SGD(head.parameters(), lr=lr, momentum=0.9)
    backbone.eval()
    for _ in range(epochs):
        for images, labels in loader:
            with torch.inference_mode():
                features = backbone(images)
                loss = nn.functional.cross_entropy(head(features), labels)
                optimizer.zero_grad()
                loss.backward()  # expect: NG002
                optimizer.step()
    return head
