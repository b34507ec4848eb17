# corpus: NG012
"""The same string-dispatching helper, but the training loop puts both networks back in train mode
with it after each accuracy check: nothing to report."""
import torch
import torch.nn.functional as F


def set_mode(mode, models):
    for m in models:
        if m is not None:
            if mode == "eval":
                m.eval()
            else:
                m.train()


def check(encoder, head, loader):
    set_mode("eval", [encoder, head])
    with torch.no_grad():
        return sum(F.cross_entropy(head(encoder(x)), y).item() for x, y in loader)


def fit(encoder, head, loader, val_loader, optimizer, epochs):
    for epoch in range(epochs):
        set_mode("train", [encoder, head])
        for x, y in loader:
            loss = F.cross_entropy(head(encoder(x)), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, check(encoder, head, val_loader))
