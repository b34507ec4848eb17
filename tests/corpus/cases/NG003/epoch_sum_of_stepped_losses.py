# corpus: NG003
# Each iteration steps the optimizer, so the sum spans the whole epoch: every step's graph stays chained.
import torch


def train_epoch(model, loader, optimizer):
    total = 0
    for x, y in loader:
        loss = torch.nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss  # expect: NG003
    return total / len(loader)
