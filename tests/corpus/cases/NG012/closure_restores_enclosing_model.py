# corpus: NG012
"""The same closures as a script's main function, but the evaluation closure puts the model back
in train mode when it is done: the training loop keeps training in train mode."""
import torch
from torch import nn


def main(model: nn.Module, loader, val_loader):
    opt = torch.optim.Adam(model.parameters())

    @torch.no_grad()
    def check():
        model.eval()
        total = sum(nn.functional.cross_entropy(model(x), y).item() for x, y in val_loader)
        model.train()
        return total

    def train_epoch():
        model.train()
        for step, (x, y) in enumerate(loader):
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if step % 100 == 0:
                print(check())

    for _ in range(3):
        train_epoch()
