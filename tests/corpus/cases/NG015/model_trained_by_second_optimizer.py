# corpus: NG015
"""Adversarial training: the model is trained in the same loop by a second optimizer over its parameters."""
import torch
import torch.nn.functional as F


def adversarial_training_step(model, x, y, steps=3):
    delta = torch.zeros_like(x, requires_grad=True)
    opt_delta = torch.optim.SGD([delta], lr=0.01)
    opt_model = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(steps):
        loss = F.cross_entropy(model(x + delta), y)
        opt_delta.zero_grad()
        opt_model.zero_grad()
        loss.backward()
        delta.grad.neg_()
        opt_delta.step()
        opt_model.step()
