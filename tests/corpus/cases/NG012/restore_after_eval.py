# corpus: NG012, NG001
"""Evaluation helpers that restore train mode, and loops that call .train() after evaluating."""
import torch


def evaluate(model, loader):
    was_training = model.training
    model.eval()
    with torch.no_grad():
        acc = sum((model(x).argmax(1) == y).float().mean().item() for x, y in loader) / len(loader)
    model.train(was_training)
    return acc


def quick_eval(model, loader):
    model.eval()
    with torch.no_grad():
        loss = sum(model(x).logsumexp(1).mean().item() for x, _ in loader)
    model.train()
    return loss


def fit(model, loader, val_loader, optimizer, epochs):
    for epoch in range(epochs):
        for step, (x, y) in enumerate(loader):
            loss = torch.nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if step % 200 == 0:
                quick_eval(model, val_loader)
        evaluate(model, val_loader)
        model.train()
