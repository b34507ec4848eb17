# corpus: NG002
"""A train step copied from the evaluation helper, decorator included."""
import torch
from torch import nn


def evaluate_step(model, batch):
    with torch.no_grad():
        return model(batch["input"]).argmax(-1)


@torch.no_grad()  # expect: NG002
def train_step(model, batch, optimizer, criterion=nn.CrossEntropyLoss()):
    model.train()
    logits = model(batch["input"])
    loss = criterion(logits, batch["target"])
    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    return loss.item()
