# corpus: NG001, NG002, NG003, NG004
"""Per-sample gradients with torch.func and a functional MAML inner loop (correct)."""
import torch
import torch.nn.functional as F
from torch.func import functional_call, grad, vmap


def per_sample_grads(model, x, y):
    params = {k: v.detach() for k, v in model.named_parameters()}
    buffers = {k: v.detach() for k, v in model.named_buffers()}

    def loss_fn(p, b, xi, yi):
        out = functional_call(model, (p, b), (xi.unsqueeze(0),))
        return F.cross_entropy(out, yi.unsqueeze(0))

    return vmap(grad(loss_fn), in_dims=(None, None, 0, 0))(params, buffers, x, y)


def dp_sgd_step(model, x, y, lr=0.1, clip=1.0, noise=1.0):
    grads = per_sample_grads(model, x, y)
    with torch.no_grad():
        for name, p in model.named_parameters():
            g = grads[name]
            norms = g.flatten(1).norm(dim=1).clamp(min=1e-6)
            g = (g * (clip / norms).clamp(max=1.0).view(-1, *[1] * (g.dim() - 1))).sum(0)
            g += noise * clip * torch.randn_like(g)
            p -= lr * g / x.shape[0]


def maml_outer_step(model, tasks, meta_opt, inner_lr=0.01, inner_steps=1):
    meta_opt.zero_grad()
    meta_losses = []
    for support_x, support_y, query_x, query_y in tasks:
        params = dict(model.named_parameters())
        for _ in range(inner_steps):
            loss = F.cross_entropy(functional_call(model, params, (support_x,)), support_y)
            grads = torch.autograd.grad(loss, list(params.values()), create_graph=True)
            params = {k: v - inner_lr * g for (k, v), g in zip(params.items(), grads)}
        query_loss = F.cross_entropy(functional_call(model, params, (query_x,)), query_y)
        meta_losses.append(query_loss)
    meta_loss = torch.stack(meta_losses).mean()
    meta_loss.backward()
    meta_opt.step()
    return meta_loss.item()
