# corpus: NG001, NG002
"""A single-batch step backpropagates only when told to train. Validation calls it per batch with
the flag off, with grad on: each call builds a graph nothing uses. The same step called per
batch under no_grad, or once for a smoke check outside any data loop, is fine."""
import torch
import torch.nn.functional as F


def step(net, batch, optimizer, is_train):
    inputs, targets = batch
    loss = F.mse_loss(net(inputs), targets)
    if is_train:
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return loss.item()


def fit(net, train_loader, val_loader, optimizer, epochs):
    scores = []
    for _ in range(epochs):
        net.train()
        for batch in train_loader:
            step(net, batch, optimizer, True)
        net.eval()
        scores.append(sum(step(net, b, optimizer, False) for b in val_loader))  # expect: NG001
        with torch.no_grad():
            scores.append(sum(step(net, b, optimizer, False) for b in val_loader))
        step(net, next(iter(val_loader)), optimizer, False)
    return scores
