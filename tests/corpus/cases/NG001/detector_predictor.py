# corpus: NG001
"""Batched inference wrapper around a detection model."""
import torch
from torchvision.ops import batched_nms


class Predictor:
    def __init__(self, model, score_threshold=0.3, device="cuda"):
        self.model = model.to(device)
        self.model.eval()
        self.score_threshold = score_threshold
        self.device = device

    def infer(self, images, batch_size=8):
        results = []
        for start in range(0, len(images), batch_size):  # expect: NG001
            batch = [img.to(self.device) for img in images[start:start + batch_size]]
            outputs = self.model(batch)
            for out in outputs:
                keep = out["scores"] > self.score_threshold
                boxes, scores, labels = out["boxes"][keep], out["scores"][keep], out["labels"][keep]
                keep = batched_nms(boxes, scores, labels, 0.5)
                results.append({"boxes": boxes[keep].cpu(), "scores": scores[keep].cpu(), "labels": labels[keep].cpu()})
        return results
