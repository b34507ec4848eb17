# corpus: NG001
"""An evaluation that pulls each batch from an iterator inside the forward's call and stops on
`StopIteration`: the iterator advances every turn, so this is a loop over the data like any
`for` loop, run with gradients on."""
import torch


def evaluate(model, loader):
    model.eval()
    batches = iter(loader)
    correct = 0
    while True:  # expect: NG001
        try:
            logits, labels = model(next(batches))
            correct += (logits.argmax(1) == labels).sum().item()
        except StopIteration:
            break
    return correct


def evaluate_without_graphs(model, loader):
    model.eval()
    batches = iter(loader)
    correct = 0
    with torch.no_grad():
        while True:
            try:
                logits, labels = model(next(batches))
                correct += (logits.argmax(1) == labels).sum().item()
            except StopIteration:
                break
    return correct
