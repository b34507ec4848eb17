# corpus: NG003
"""GradCache-style loss: mini-batch losses are backpropagated then detached, or returned summed for the caller's backward (correct)."""
import torch
import torch.nn.functional as F
from torch import nn


class CachedInfoNCE(nn.Module):
    def __init__(self, model, scale=20.0, mini_batch_size=32):
        super().__init__()
        self.model = model
        self.scale = scale
        self.mini_batch_size = mini_batch_size

    def calculate_loss(self, anchors, candidates, with_backward=False):
        batch_size = anchors.shape[0]
        labels = torch.arange(batch_size, device=anchors.device)
        losses = []
        for begin in range(0, batch_size, self.mini_batch_size):
            end = min(begin + self.mini_batch_size, batch_size)
            scores = F.normalize(anchors[begin:end], dim=-1) @ F.normalize(candidates, dim=-1).t() * self.scale
            loss_mb = F.cross_entropy(scores, labels[begin:end]) * (end - begin) / batch_size
            if with_backward:
                loss_mb.backward()
                loss_mb = loss_mb.detach()
            losses.append(loss_mb)
        return sum(losses)

    def forward(self, queries, docs):
        with torch.no_grad():
            q = self.model(queries)
            d = self.model(docs)
        q = q.requires_grad_()
        d = d.requires_grad_()
        loss = self.calculate_loss(q, d, with_backward=True)
        q_grad, d_grad = q.grad, d.grad
        return loss, q_grad, d_grad


def chunked_margin_loss(anchors, positives, margin=0.5, chunk=64):
    losses = []
    for begin in range(0, anchors.shape[0], chunk):
        sims = anchors[begin:begin + chunk] @ positives.t()
        pos = sims.diagonal(offset=begin)
        losses.append(F.relu(margin - pos).mean())
    return torch.stack(losses).mean()


def train_step(model, batch, optimizer):
    a, p = model(batch["anchor"]), model(batch["positive"])
    loss = chunked_margin_loss(a, p)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()
