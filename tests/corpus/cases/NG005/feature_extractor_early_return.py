# corpus: NG005
"""Feature extraction that saves and restores the grad mode, but returns early on empty input."""
import torch


class FeatureExtractor:
    def __init__(self, backbone, layer="avgpool"):
        self.backbone = backbone
        self.layer = layer

    def extract(self, images):
        previous = torch.is_grad_enabled()
        torch.set_grad_enabled(False)  # expect: NG005
        if images.numel() == 0:
            return torch.empty(0, 512)
        feats = self.backbone(images)
        feats = torch.flatten(feats, 1)
        torch.set_grad_enabled(previous)
        return feats
