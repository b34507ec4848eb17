# corpus: NG001
"""A full-reference image-quality metric: its constructor freezes two pretrained backbones with a
method of the class, and feature methods later run them with grad on. A frozen backbone records
no graph of its own; grad mode stays on so the metric can serve as a loss (gradients flow back
to the distorted image). The second class freezes nothing and runs its backbone in eval mode for
features only."""
import torch
from torch import nn


class OutputRecorder:
    def __init__(self):
        self.outputs = {}

    def __call__(self, module, inputs, output):
        self.outputs.setdefault(output.device, []).append(output)

    def clear(self, device):
        self.outputs[device] = []


class PerceptualMetric(nn.Module):
    def __init__(self, width=8):
        super().__init__()
        self.texture = nn.Sequential(nn.Conv2d(3, width, 3), nn.ReLU())
        self.semantic = nn.Sequential(nn.Conv2d(3, width, 5), nn.ReLU())
        self.head = nn.Linear(64, 1)
        self.recorder = OutputRecorder()
        self.lock(self.texture)
        self.semantic.requires_grad_(False)

    def lock(self, network):
        for weight in network.parameters():
            weight.requires_grad = False

    def texture_features(self, image):
        self.texture(image)
        features = torch.cat((self.recorder.outputs[image.device][0], self.recorder.outputs[image.device][1]), dim=1)
        self.recorder.clear(image.device)
        return features

    def semantic_features(self, image):
        self.semantic(image)
        features = torch.cat((self.recorder.outputs[image.device][0], self.recorder.outputs[image.device][1]), dim=1)
        self.recorder.clear(image.device)
        return features

    def score(self, distorted, reference):
        self.texture.eval()
        self.semantic.eval()
        gap = self.texture_features(distorted) - self.texture_features(reference)
        context = self.semantic_features(reference)
        return self.head((gap * context).flatten(1))


class FeatureDumper(nn.Module):
    def __init__(self, backbone):
        super().__init__()
        self.backbone = backbone

    def describe(self, image):
        self.backbone.eval()
        return self.backbone(image).flatten(1).detach().cpu()  # expect: NG001
