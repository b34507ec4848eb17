# corpus: NG001
"""A step that also scores held-out batches, and adds that score to the training loss as a
regulariser: the held-out forwards reach the backward pass, so they need their graph."""
import torch


def score(model, x, y):
    return torch.nn.functional.mse_loss(model(x), y)


def train(model, batches, held_out, opt, weight):
    for x, y in batches:
        opt.zero_grad()
        penalty = 0
        for hx, hy in held_out:
            penalty += score(model, hx, hy)
        loss = score(model, x, y) + weight * penalty
        loss.backward()
        opt.step()
    return model
