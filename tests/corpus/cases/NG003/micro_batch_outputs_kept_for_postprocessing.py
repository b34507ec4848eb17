# corpus: NG003
# Gradient accumulation over micro-batches: each micro-batch's loss is backpropagated in the loop
# (the optimizer steps elsewhere), and the per-micro-batch outputs are collected for the caller.
# The dict keeps `log_probs` with its graph, so every micro-batch's graph lives until the whole
# batch is done (also when a context manager turns grad off for forward-only calls only). The
# meta-learning loop and the optional-backward sum below build losses for a later backward on purpose.
from contextlib import nullcontext

import torch


class Engine:
    def __init__(self, module):
        self.module = module

    def forward_backward(self, micro_batches, loss_fn):
        outputs = []
        for batch in micro_batches:
            loss, info = self.forward_step(batch, loss_fn)
            loss.backward()
            outputs.append(info)  # expect: NG003
        return outputs

    def forward_backward_batch(self, micro_batches, loss_fn, forward_only=False):
        # The same, with the forward under `no_grad` only when nothing is trained.
        collected = []
        ctx = torch.no_grad() if forward_only else nullcontext()
        for batch in micro_batches:
            with ctx:
                loss, info = self.forward_step(batch, loss_fn)
                if not forward_only:
                    loss.backward()
            collected.append(info)  # expect: NG003
        return collected

    def forward_step(self, batch, loss_fn):
        logits = self.module(batch["input_ids"]).logits
        log_probs = logits.log_softmax(-1).gather(-1, batch["labels"].unsqueeze(-1)).squeeze(-1)
        loss = loss_fn(log_probs, batch)
        info = {"log_probs": log_probs, "loss": loss.detach().item()}
        return loss, info


def task_losses(model, tasks, inner_lr=0.01):
    losses = []
    for support, query in tasks:
        params = list(model.parameters())
        grads = torch.autograd.grad(model(support).mean(), params, create_graph=True)
        fast = [p - inner_lr * g for p, g in zip(params, grads)]
        losses.append(model.functional_forward(query, fast).mean())
    return losses


def auxiliary_total(aux_losses, backward=False):
    # Each term is backpropagated here only when asked; otherwise the caller backpropagates the sum.
    total = 0
    for aux in aux_losses:
        total += aux
        if backward:
            aux.backward()
    return total
