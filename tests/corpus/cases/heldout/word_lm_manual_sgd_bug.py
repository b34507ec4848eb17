# corpus: NG004, NG003
"""Old-style manual SGD from the word language model example (raises on PyTorch >= 0.4 semantics)."""
import torch
import torch.nn as nn


def train(model, corpus_batches, criterion, lr, clip, ntokens):
    model.train()
    total_loss = 0.0
    hidden = model.init_hidden(20)
    for i, (data, targets) in enumerate(corpus_batches):
        hidden = tuple(h.detach() for h in hidden)
        model.zero_grad()
        output, hidden = model(data, hidden)
        loss = criterion(output.view(-1, ntokens), targets)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        for p in model.parameters():
            p.add_(p.grad, alpha=-lr)  # expect: NG004
        total_loss += loss.item()
    return total_loss / max(i + 1, 1)


class LinearRegression(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.fc = nn.Linear(n, 1)

    def forward(self, x):
        return self.fc(x)


def fit_regression(model, xs, ys, lr=0.1, steps=1000):
    for _ in range(steps):
        loss = nn.functional.smooth_l1_loss(model(xs), ys)
        model.zero_grad()
        loss.backward()
        for param in model.parameters():
            param.data.add_(-lr * param.grad)
    return loss.item()
