# corpus: NG002, NG001
"""Manual SGD: backward with grad on, the parameter update under no_grad."""
import torch


def train_linear_regression(x, y, lr=0.1, steps=200):
    w = torch.zeros(x.size(1), 1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    for _ in range(steps):
        loss = ((x @ w + b - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
            w.grad.zero_()
            b.grad.zero_()
    return w.detach(), b.detach()


def backward_then_log(model, x, y, optimizer, log):
    loss = torch.nn.functional.mse_loss(model(x), y)
    with torch.no_grad():
        loss.backward()  # the graph was built above: backward under no_grad works
        log.append(sum(p.grad.norm() for p in model.parameters()).item())
    optimizer.step()
