# corpus: NG016
"""Clean: a functional network (parameters in a dict, no nn.Module) whose caller passes whether it
trains; and a meta-learning helper that forwards that flag."""
import torch
import torch.nn.functional as F


def mlp(params, x, training, p=0.2):
    h = F.relu(F.linear(x, params["w1"], params["b1"]))
    h = F.dropout(h, p, training)
    return F.linear(h, params["w2"], params["b2"])


def inner_step(params, batch, lr, training=True):
    x, y = batch
    loss = F.cross_entropy(mlp(params, x, training), y)
    grads = torch.autograd.grad(loss, list(params.values()), create_graph=True)
    return {k: v - lr * g for (k, v), g in zip(params.items(), grads)}
