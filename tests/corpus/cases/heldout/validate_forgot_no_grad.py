# corpus: NG001
"""Typical classification script: the validation loop and the test predictor forgot no_grad."""
import numpy as np
import torch
import torch.nn.functional as F


def validate(model, val_loader, device):
    model.eval()
    val_loss, correct = 0.0, 0
    for batch_idx, (data, target) in enumerate(val_loader):  # expect: NG001
        data, target = data.to(device), target.to(device)
        output = model(data)
        val_loss += F.nll_loss(output, target, reduction="sum").item()
        pred = output.argmax(dim=1, keepdim=True)
        correct += pred.eq(target.view_as(pred)).sum().item()
    n = len(val_loader.dataset)
    return val_loss / n, correct / n


def predict(model, test_loader, device):
    model.eval()
    preds = [model(x.to(device)).softmax(-1).cpu() for x, _ in test_loader]  # expect: NG001
    return torch.cat(preds).numpy()


def run_inference(model, loader, device):
    model.eval()
    outputs = []
    it = iter(loader)
    while True:  # expect: NG001
        try:
            batch = next(it)
        except StopIteration:
            break
        outputs.append(model(batch.to(device)).argmax(-1).cpu().numpy())
    return np.concatenate(outputs)
