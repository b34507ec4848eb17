# corpus: NG001
"""Image classification: top-1 / top-5 evaluation helper used by the training script."""
import torch
import torch.nn.functional as F


def accuracy(output, target, topk=(1,)):
    maxk = max(topk)
    _, pred = output.topk(maxk, 1, True, True)
    correct = pred.t().eq(target.view(1, -1).expand_as(pred.t()))
    return [correct[:k].reshape(-1).float().sum(0) for k in topk]


def evaluate(model, loader, device):
    model.eval()
    total, top1, top5, loss_sum = 0, 0.0, 0.0, 0.0
    for images, target in loader:  # expect: NG001
        images = images.to(device, non_blocking=True)
        target = target.to(device, non_blocking=True)
        output = model(images)
        loss_sum += F.cross_entropy(output, target, reduction="sum").item()
        c1, c5 = accuracy(output, target, topk=(1, 5))
        top1 += c1.item()
        top5 += c5.item()
        total += images.size(0)
    return {"loss": loss_sum / total, "top1": 100 * top1 / total, "top5": 100 * top5 / total}
