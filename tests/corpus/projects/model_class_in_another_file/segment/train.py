# corpus: NG017
# Training, then the Dice score on the validation set, still in training mode.
import torch

from .model import UNetLite


def dice(pred, mask):
    return (2 * (pred * mask).sum() / (pred.sum() + mask.sum())).item()


def main(train_loader, val_loader):
    unet = UNetLite(classes=1)
    opt = torch.optim.Adam(unet.parameters(), lr=1e-3)
    for epoch in range(30):
        for images, masks in train_loader:
            opt.zero_grad()
            torch.nn.functional.binary_cross_entropy_with_logits(unet(images), masks).backward()
            opt.step()
        with torch.no_grad():
            scores = [dice(unet(images).sigmoid(), masks) for images, masks in val_loader]  # expect: NG017
        print(epoch, sum(scores) / len(scores))
