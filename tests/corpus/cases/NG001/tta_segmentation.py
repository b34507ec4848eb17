# corpus: NG001
"""Test-time augmentation for a segmentation network (flip averaging)."""
import torch


FLIPS = ((), (-1,), (-2,), (-2, -1))


def predict_tta(net, image):
    net.eval()
    probs = torch.zeros_like(image[:, :1])
    for dims in FLIPS:  # expect: NG001
        flipped = image.flip(dims) if dims else image
        logits = net(flipped)
        probs = probs + (logits.flip(dims) if dims else logits).sigmoid()
    return probs / len(FLIPS)
