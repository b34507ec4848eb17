# corpus: NG003, NG004
"""MAML outer step: the meta-loss is summed over tasks and backpropagated after the task loop."""
import torch
import torch.nn.functional as F
from torch.func import functional_call


def meta_train_step(model, tasks, meta_optimizer, inner_lr=0.01, inner_steps=1):
    meta_optimizer.zero_grad()
    meta_loss = 0.0
    params = dict(model.named_parameters())
    for (xs, ys), (xq, yq) in tasks:
        fast = dict(params)
        for _ in range(inner_steps):
            support_loss = F.cross_entropy(functional_call(model, fast, (xs,)), ys)
            grads = torch.autograd.grad(support_loss, list(fast.values()), create_graph=True)
            fast = {name: w - inner_lr * g for (name, w), g in zip(fast.items(), grads)}
        query_logits = functional_call(model, fast, (xq,))
        meta_loss += F.cross_entropy(query_logits, yq)
    meta_loss = meta_loss / len(tasks)
    meta_loss.backward()
    meta_optimizer.step()
    return meta_loss.item()
