# corpus: NG006, NG005
"""A step function shared by training and evaluation."""
import torch


def shared_step(model, batch, criterion, train: bool):
    x, y = batch
    with torch.set_grad_enabled(train):
        out = model(x)
        loss = criterion(out, y)
    return loss, out.detach()
