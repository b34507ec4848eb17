# corpus: NG001
"""An OpenMMLab-style detector: `predict` loops over prompt chunks, and mmengine's validation and
test loops run it (through val_step / test_step) under no_grad. Its head post-processes each
level with a module that holds only a buffer. A plain evaluator of the same file runs a scorer
with a learnable scale per batch with grad on."""
import torch
import torch.nn.functional as F
from torch import nn


class Integral(nn.Module):
    def __init__(self, bins=16):
        super().__init__()
        self.register_buffer("project", torch.linspace(0, bins, bins + 1))

    def forward(self, x):
        return (F.softmax(x, dim=-1) * self.project).sum(-1)


class ScaleHead(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(width))

    def forward(self, x):
        return x * self.scale


class ChunkedDetector(nn.Module):
    def __init__(self, backbone, bins=16):
        super().__init__()
        self.backbone = backbone
        self.integral = Integral(bins)

    def loss(self, inputs, samples):
        return {"loss": self.backbone(inputs).mean()}

    def predict(self, inputs, prompts):
        results = []
        for chunk in prompts:
            results.append(self.backbone(inputs, chunk))
        return results

    def predict_levels(self, levels):
        return [self.integral(level) for level in levels]


class Evaluator:
    def __init__(self, width):
        self.head = ScaleHead(width)

    def evaluate(self, batches):
        return [self.head(x).sum().item() for x in batches]  # expect: NG001
