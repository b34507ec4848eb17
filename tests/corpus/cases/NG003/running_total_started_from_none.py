# corpus: NG003
"""A trainer starts its epoch total from None and adds each batch's loss to it with a conditional
expression (RecBole's `_train_epoch` before its fix): the total chains every batch's graph. The
same shape over `.item()` floats keeps nothing."""
import torch


def train_epoch(model, optimizer, loader, loss_func):
    total_loss = None
    for x, y in loader:
        optimizer.zero_grad()
        losses = loss_func(model(x), y)
        total_loss = losses if total_loss is None else total_loss + losses  # expect: NG003
        losses.backward()
        optimizer.step()
    print(f"epoch loss {float(total_loss):.4f}")


def train_epoch_logged(model, optimizer, loader, loss_func):
    total_loss = None
    for x, y in loader:
        optimizer.zero_grad()
        losses = loss_func(model(x), y)
        total_loss = losses.item() if total_loss is None else total_loss + losses.item()
        losses.backward()
        optimizer.step()
    print(f"epoch loss {total_loss:.4f}")
