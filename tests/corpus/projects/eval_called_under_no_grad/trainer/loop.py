# corpus: NG001, NG012
"""Training loop; evaluation always runs under torch.no_grad() (imported relatively)."""
import torch

from .metrics import Evaluator, evaluate


def train(model, loader, val_loader, optimizer, epochs, device):
    evaluator = Evaluator(model, val_loader)
    for epoch in range(epochs):
        model.train()
        for x, y in loader:
            loss = torch.nn.functional.cross_entropy(model(x.to(device)), y.to(device))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            acc = evaluate(model, val_loader, device)
        print(epoch, acc, evaluator())
