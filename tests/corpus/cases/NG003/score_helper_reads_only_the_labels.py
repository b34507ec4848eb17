# corpus: NG003
"""A VQA-style training loop sums a batch score computed by a helper from the logits and the
labels. The helper turns the logits into argmax indices (detached) and returns one-hot indices
times the labels: the graph the logits carry never reaches what it returns, so the running
score holds no graph. (The helper's result derives from its second parameter only.)"""
import torch
from torch import nn


def compute_score(logits, labels):
    logits = torch.max(logits, 1)[1].data
    one_hots = torch.zeros(*labels.size())
    one_hots.scatter_(1, logits.view(-1, 1), 1)
    return one_hots * labels


def train(model: nn.Module, loader, optimizer, epochs=3):
    for epoch in range(epochs):
        train_score = 0
        for v, q, a in loader:
            pred = model(v, q)
            loss = nn.functional.binary_cross_entropy_with_logits(pred, a)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            batch_score = compute_score(pred, a.data).sum()
            train_score += batch_score
        print(epoch, train_score / len(loader))
