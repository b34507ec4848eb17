# corpus: NG012
"""Several networks switched by one helper that takes the mode as a string and a list of models
(some of which may be None). The accuracy check switches them all to eval mode through a second
helper and never back; the training loop calls it every few hundred steps and trains on in eval
mode. `probe()` restores train mode with the same helper."""
import torch
import torch.nn.functional as F


def switch_all(mode, nets):
    assert mode in ("train", "eval")
    for net in nets:
        if net is None:
            continue
        if mode == "train":
            net.train()
        if mode == "eval":
            net.eval()


def accuracy(encoder, head, loader):
    switch_all("eval", [encoder, head])
    right = total = 0
    with torch.no_grad():
        for x, y in loader:
            right += (head(encoder(x)).argmax(1) == y).sum().item()
            total += len(y)
    return right / total


def probe(encoder, head, x):
    switch_all("eval", [encoder, head])
    with torch.no_grad():
        out = head(encoder(x)).softmax(1)
    switch_all("train", [encoder, head])
    return out


def fit(encoder, head, loader, val_loader, optimizer, steps):
    switch_all("train", [encoder, head])
    step = 0
    while step < steps:
        for x, y in loader:
            step += 1
            loss = F.cross_entropy(head(encoder(x)), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if step % 100 == 0:
                print(probe(encoder, head, x[:1]))
            if step % 500 == 0:
                print(accuracy(encoder, head, val_loader))  # expect: NG012
