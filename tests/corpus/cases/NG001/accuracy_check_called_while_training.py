# corpus: NG001
"""A training loop checks accuracy every few iterations through a helper that returns a float.
The helper is called from code that backpropagates, but nothing can backpropagate through a
float: its loop over the validation batches is an evaluation with grad on. A second helper,
also called from the training loop, returns the validation loss tensor that the loop adds to
its objective: that one is trained through."""
import torch
import torch.nn.functional as F


def validation_accuracy(model, loader, limit=1000):
    correct, seen = 0, 0
    for images, labels in loader:  # expect: NG001
        preds = model(images).argmax(1)
        correct += (preds == labels).sum().item()
        seen += labels.size(0)
        if seen >= limit:
            break
    return correct / max(seen, 1)


def consistency_loss(model, loader):
    total = 0.0
    for images, _ in loader:
        total = total + model(images).softmax(1).var(0).sum()
    return total


def train(model, train_loader, val_loader, optimizer, steps, every=100):
    history = []
    for t, (images, labels) in enumerate(train_loader):
        loss = F.cross_entropy(model(images), labels) + 0.1 * consistency_loss(model, val_loader)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if t % every == 0:
            history.append(validation_accuracy(model, val_loader))
        if t >= steps:
            break
    return history
