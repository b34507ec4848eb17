# corpus: NG001
"""A shared epoch function that backpropagates only when it is not evaluating (`if not
is_eval:`). The validation call passes True with gradients enabled; the training call passes
nothing, and the test call runs under no_grad."""
import torch


def run_epoch(model, loader, criterion, optimizer, is_eval=False):
    model.train(not is_eval)
    total = 0.0
    for x, y in loader:
        loss = criterion(model(x), y)
        if not is_eval:
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        total += loss.item()
    return total / max(len(loader), 1)


def fit(model, train_loader, val_loader, test_loader, criterion, optimizer, epochs):
    for _ in range(epochs):
        run_epoch(model, train_loader, criterion, optimizer)
        run_epoch(model, val_loader, criterion, optimizer, is_eval=True)  # expect: NG001
    with torch.no_grad():
        return run_epoch(model, test_loader, criterion, optimizer, True)
