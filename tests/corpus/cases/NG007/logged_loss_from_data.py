# corpus: NG007
"""A training loop that logs the per-word loss after the backward pass: `batch_loss` is named like
a loss but is only a number for the log, never backpropagated, so reading `.data` there is fine.
The second loop backpropagates a loss built from `.data`."""
import torch


def train(model, criterion, optimizer, batches, log):
    for inputs, targets, n_words in batches:
        optimizer.zero_grad()
        out = model(inputs)
        loss = criterion(out, targets)
        loss.backward()
        optimizer.step()
        batch_loss = loss.data / n_words
        log.append(batch_loss)


def train_cut(model, criterion, optimizer, batches):
    for inputs, targets in batches:
        optimizer.zero_grad()
        out = model(inputs)
        penalty = out.data.pow(2).mean()  # expect: NG007
        total_loss = criterion(out, targets) + penalty
        total_loss.backward()
        optimizer.step()
