# corpus: NG007
"""A language-model fine-tuning step whose main loss term is picked by an `if` (an adaptive
softmax or a plain cross entropy), and read through `.data` on both sides: the term is a constant
on every path, so only the regularisers train. In the second step one side keeps the graph: the
term is not a constant there (a stop-gradient on one path is the author's choice)."""
import torch
import torch.nn.functional as F


def finetune_epoch(model, criterion, batches, optimizer, alpha, adaptive):
    model.train()
    total = 0.0
    for data, targets in batches:
        optimizer.zero_grad()
        output, hiddens = model(data)
        if adaptive:
            raw_loss = criterion(model.decoder.weight, output, targets).data  # expect: NG007
        else:
            raw_loss = F.cross_entropy(output, targets).data  # expect: NG007
        loss = raw_loss
        loss = loss + alpha * hiddens.pow(2).mean()
        loss.backward()
        optimizer.step()
        total += raw_loss.item()
    return total


def distill_epoch(model, teacher_loss, batches, optimizer, alpha, frozen_main):
    model.train()
    for data, targets in batches:
        optimizer.zero_grad()
        output, hiddens = model(data)
        if frozen_main:
            main = F.cross_entropy(output, targets).data
        else:
            main = F.cross_entropy(output, targets)
        loss = main + alpha * hiddens.pow(2).mean()
        loss.backward()
        optimizer.step()
