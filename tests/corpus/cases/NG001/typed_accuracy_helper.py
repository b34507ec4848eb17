# corpus: NG001
"""A fully annotated library: `class_accuracy` takes any module (`net: torch.nn.Module`) and runs it
over a loader with gradients on, keeping only counts; `fit` trains the same kind of module and
backpropagates."""
import torch
from torch import nn
from torch.utils.data import DataLoader


def class_accuracy(net: torch.nn.Module, loader: DataLoader, device: str = "cpu") -> float:
    correct, total = 0, 0
    for inputs, targets in loader:  # expect: NG001
        outputs = net(inputs.to(device))
        correct += (outputs.argmax(1) == targets.to(device)).sum().item()
        total += targets.numel()
    return correct / max(total, 1)


def fit(model: nn.Module, loader: DataLoader, optimizer: torch.optim.Optimizer, loss_fn: nn.Module) -> None:
    model.train()
    for inputs, targets in loader:
        optimizer.zero_grad()
        loss_fn(model(inputs), targets).backward()
        optimizer.step()
