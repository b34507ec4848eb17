# corpus: NG001, NG002
"""Test-time entropy minimisation (TENT): evaluation that updates batch-norm affine parameters."""
import torch


def softmax_entropy(logits):
    return -(logits.softmax(1) * logits.log_softmax(1)).sum(1)


def evaluate_tent(model, loader, optimizer, device, steps=1):
    model.eval()
    correct = total = 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        for _ in range(steps):
            outputs = model(x)
            loss = softmax_entropy(outputs).mean()
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
        correct += (outputs.argmax(1) == y).sum().item()
        total += y.numel()
    return correct / total
