# corpus: NG002, NG001, NG003
"""Containers made under `no_grad` that are filled (or handed to code that fills them) with
grad on afterwards: their items are computed with grad, so backward is correct."""
import torch
from collections import defaultdict


def step(model, teacher, batch, optimizer):
    with torch.no_grad():
        targets = teacher(batch["image"])
        logs = defaultdict(float)
        out = model.prepare(batch)
    out["logits"] = model(batch["image"])
    out["loss"] = torch.nn.functional.kl_div(out["logits"].log_softmax(-1), targets["probs"])
    out["loss"].backward()
    optimizer.step()
    logs["loss"] += out["loss"].item()
    return logs


def step_with_extra(model, batch, optimizer, add_regularizers):
    with torch.no_grad():
        losses = model.compute_losses(batch)
    add_regularizers(model, batch, losses)  # puts `losses["loss"]` computed with grad on
    losses["loss"].backward()
    optimizer.step()


def step_with_leaf(batch, optimizer):
    with torch.no_grad():
        noise = torch.zeros(batch.shape, requires_grad=True)
    adv = batch + noise
    (adv ** 2).mean().backward()
    optimizer.step()
    return noise.grad


def finetune_head(cfg, batch, optimizer):
    with torch.no_grad():
        net = make_net(cfg)
        net.load_state_dict(torch.load(cfg.checkpoint))
    head_weight = net.head.weight
    loss = net(batch).mean()
    loss.backward()
    head_weight.pow(2).sum().mul(1e-4).backward()  # weight decay on the head only
    optimizer.step()
