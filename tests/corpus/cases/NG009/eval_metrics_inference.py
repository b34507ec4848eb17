# corpus: NG009, NG001
"""Evaluation with a metric accumulator under inference_mode (the metric consumes the tensors)."""
import torch


class MeanIoU:
    def __init__(self, num_classes):
        self.num_classes = num_classes
        self.confusion = torch.zeros(num_classes, num_classes, dtype=torch.long)

    def update(self, pred, target):
        idx = target * self.num_classes + pred
        self.confusion += torch.bincount(idx.flatten(), minlength=self.num_classes ** 2).view(self.num_classes, -1)

    def compute(self):
        inter = self.confusion.diag().float()
        union = self.confusion.sum(0) + self.confusion.sum(1) - self.confusion.diag()
        return (inter / union.clamp(min=1)).mean().item()


def evaluate(model, loader, num_classes):
    metric = MeanIoU(num_classes)
    model.eval()
    with torch.inference_mode():
        for images, masks in loader:
            metric.update(model(images).argmax(1), masks)
    return metric.compute()
