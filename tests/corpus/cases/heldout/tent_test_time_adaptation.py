# corpus: NG001, NG002
"""Tent-style test-time adaptation: the evaluation loop adapts with backward every batch (correct)."""
import torch
import torch.nn as nn


def softmax_entropy(x):
    return -(x.softmax(1) * x.log_softmax(1)).sum(1)


def configure_model(model):
    model.train()
    model.requires_grad_(False)
    params = []
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.requires_grad_(True)
            m.track_running_stats = False
            m.running_mean = None
            m.running_var = None
            params += [m.weight, m.bias]
    return model, params


@torch.enable_grad()
def forward_and_adapt(x, model, optimizer):
    outputs = model(x)
    loss = softmax_entropy(outputs).mean(0)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    return outputs


def evaluate_tent(model, loader, lr=1e-3, steps=1):
    model, params = configure_model(model)
    optimizer = torch.optim.SGD(params, lr=lr, momentum=0.9)
    correct = total = 0
    for x, y in loader:
        for _ in range(steps):
            outputs = forward_and_adapt(x, model, optimizer)
        correct += (outputs.argmax(1) == y).sum().item()
        total += y.numel()
    return correct / total


def test_adapted(model, loader):
    model.eval()
    scores = []
    with torch.no_grad():
        for x, _ in loader:
            scores.append(softmax_entropy(model(x)).mean().item())
    return sum(scores) / len(scores)
