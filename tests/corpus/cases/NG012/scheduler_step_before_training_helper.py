# corpus: NG012
"""An epoch loop that steps the learning-rate schedule first, then trains through a helper that
puts the model back in train mode, then validates through a helper that leaves it in eval mode:
the next epoch's training helper restores train mode, so nothing trains in eval mode."""
import torch


def train(queue, model, criterion, optimizer):
    model.train()
    for x, y in queue:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()


def infer(queue, model, criterion):
    model.eval()
    with torch.no_grad():
        return sum(criterion(model(x), y).item() for x, y in queue)


def main(model, train_q, valid_q, criterion, optimizer, scheduler, epochs):
    for epoch in range(epochs):
        scheduler.step()
        train(train_q, model, criterion, optimizer)
        print(epoch, infer(valid_q, model, criterion))
