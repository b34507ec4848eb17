# corpus: NG012
"""A script's main function defines its epochs as closures over its own `model`. The evaluation
closure puts the model in eval mode; the training closure calls it every few steps and never
switches back, so the rest of the epoch trains with dropout off."""
import torch
from torch import nn


def main(model: nn.Module, loader, val_loader, lr=1e-3):
    opt = torch.optim.Adam(model.parameters(), lr=lr)

    def run_train_epoch():
        model.train()
        for step, (x, y) in enumerate(loader):
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if step % 200 == 0:
                run_eval_epoch()  # expect: NG012

    @torch.no_grad()
    def run_eval_epoch():
        model.eval()
        hits = 0
        for x, y in val_loader:
            hits += (model(x).argmax(-1) == y).sum().item()
        print(hits)

    for _ in range(5):
        run_train_epoch()
