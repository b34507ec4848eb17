# corpus: NG017
# Validation without eval(): harmless here, since the model's class does not read the mode.
import torch

from .nets import Mlp


def main(train_loader, val_loader):
    mlp = Mlp(64, 3)
    opt = torch.optim.Adam(mlp.parameters())
    for x, y in train_loader:
        opt.zero_grad()
        torch.nn.functional.cross_entropy(mlp(x), y).backward()
        opt.step()
    with torch.no_grad():
        return [mlp(x).argmax(1) for x, _ in val_loader]
