# corpus: NG004
"""Knowledge-editing and weight-surgery helpers: two edit weights in place with grad enabled."""
import torch
from torch import nn


def edit_neuron(model, layer, pos, old_emb, new_emb, scale_old=1.0, scale_new=1.0):
    dense = model.bert.encoder.layer[layer].output.dense
    dense.weight[:, pos] -= old_emb * scale_old  # expect: NG004
    dense.weight[:, pos] += new_emb * scale_new  # expect: NG004


def copy_pretrained_conv(conv: nn.Conv2d, w: torch.Tensor):
    with torch.no_grad():
        conv.weight[:, :, :, :] = w
        if conv.bias is not None:
            conv.bias.zero_()


def sgd_on_scales(loss_fn, s_init, lr=0.1, steps=100):
    s = s_init.clone().requires_grad_(True)
    for _ in range(steps):
        loss = loss_fn(s)
        loss.backward()
        s -= lr * s.grad  # expect: NG004
        s.grad.zero_()
    return s.detach()


def sgd_on_scales_fixed(loss_fn, s_init, lr=0.1, steps=100):
    s = torch.tensor(s_init, requires_grad=True)
    for _ in range(steps):
        loss = loss_fn(s)
        loss.backward()
        with torch.no_grad():
            s -= lr * s.grad
        s.grad = None
    return s.detach()


def reset_classifier_rows(head: nn.Linear, rows):
    with torch.no_grad():
        head.weight[rows] = 0.0
        head.bias[rows] = -10.0
