# corpus: NG005, NG001
"""Validation helper that toggles grad mode by hand; an exception in the loop leaks it."""
import torch


def validate(model, loader, criterion, device="cuda"):
    model.eval()
    torch.set_grad_enabled(False)  # expect: NG005
    total, correct, loss_sum = 0, 0, 0.0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        out = model(x)
        loss_sum += criterion(out, y).item() * y.size(0)
        correct += (out.argmax(1) == y).sum().item()
        total += y.size(0)
    torch.set_grad_enabled(True)
    model.train()
    return loss_sum / total, correct / total
