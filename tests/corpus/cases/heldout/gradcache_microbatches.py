# corpus: NG003
"""Contrastive training over micro-batches: embeddings are collected and backpropagated together (correct)."""
import torch
import torch.nn.functional as F


def contrastive_loss(q, d, temperature=0.05):
    scores = q @ d.t() / temperature
    return F.cross_entropy(scores, torch.arange(q.shape[0], device=q.device))


def train_step(query_encoder, doc_encoder, batch, optimizer, micro=32):
    queries, docs = batch
    q_reps, d_reps = [], []
    for qs, ds in zip(queries.split(micro), docs.split(micro)):
        q_reps.append(query_encoder(qs))
        d_reps.append(doc_encoder(ds))
    loss = contrastive_loss(torch.cat(q_reps), torch.cat(d_reps))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


def train_accumulated(model, loader, optimizer, accum=8):
    losses = []
    optimizer.zero_grad()
    for i, (x, y) in enumerate(loader):
        losses.append(F.cross_entropy(model(x), y))
        if (i + 1) % accum == 0:
            total = torch.stack(losses).mean()
            total.backward()
            optimizer.step()
            optimizer.zero_grad()
            losses = []
