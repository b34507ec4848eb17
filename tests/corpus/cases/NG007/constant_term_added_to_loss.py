# corpus: NG007
"""A variational classifier trained with cross-entropy plus a KL penalty. In the first loop the KL
term is read through `.data` before it is added, so it is a constant in the loss and the
variational parameters are never regularised. The other loops use `.data` on purpose: a
bootstrapped target of a value network, and a per-sample weight."""
import torch
from torch import nn


def train_variational(model, batches, criterion, optimizer, n_train):
    for images, labels in batches:
        logits, kl = model(images)
        nll = criterion(logits, labels)
        kl_term = kl.data / n_train  # expect: NG007
        loss = nll + kl_term
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def train_value(q_net, target_net, batches, optimizer, gamma):
    for states, rewards, next_states in batches:
        q = q_net(states)
        q_next = target_net(next_states)
        q_target = rewards + gamma * q_next.data.max(1)[0]
        loss = nn.functional.mse_loss(q.max(1)[0], q_target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def train_weighted(model, batches, optimizer):
    for x, y in batches:
        out = model(x)
        confidence = out.softmax(-1).data.max(1)[0]
        per_sample = nn.functional.cross_entropy(out, y, reduction="none")
        loss = (per_sample * confidence).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
