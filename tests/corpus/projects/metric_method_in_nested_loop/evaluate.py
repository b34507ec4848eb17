# corpus: NG001
"""The validation loop runs the network with grad on; an inner loop feeds a metric object of
another file, whose method runs no model. The outer loop is the finding."""
import torch

from metrics import MeanOverlap


def validate(loader, classes, net, criterion):
    overlap = MeanOverlap(range(classes))
    net.eval()
    total = 0.0
    for images, masks in loader:  # expect: NG001
        outputs = net(images)
        total += criterion(outputs, masks).item()
        for mask, output in zip(masks, outputs):
            overlap.add(mask.cpu().numpy(), output.argmax(0).cpu().numpy())
    return total, overlap.get(), torch.cuda.is_available()
