# corpus: NG001, NG004, NG012
"""SWA with torch.optim.swa_utils; the averaged copy (not the trained model) is evaluated in the loop (correct)."""
import torch
import torch.nn.functional as F
from torch.optim.swa_utils import SWALR, AveragedModel, update_bn


@torch.no_grad()
def evaluate(model, loader):
    model.eval()
    correct = n = 0
    for x, y in loader:
        correct += (model(x).argmax(1) == y).sum().item()
        n += y.numel()
    return correct / n


def train_swa(model, train_loader, val_loader, epochs=100, swa_start=75, lr=0.05):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=5e-4)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=swa_start)
    swa_model = AveragedModel(model)
    swa_scheduler = SWALR(optimizer, swa_lr=0.01)
    model.train()
    for epoch in range(epochs):
        for x, y in train_loader:
            optimizer.zero_grad()
            F.cross_entropy(model(x), y).backward()
            optimizer.step()
        if epoch >= swa_start:
            swa_model.update_parameters(model)
            swa_scheduler.step()
            update_bn(train_loader, swa_model)
            print(epoch, "swa acc", evaluate(swa_model, val_loader))
        else:
            scheduler.step()
    update_bn(train_loader, swa_model)
    return swa_model


def ema_avg(averaged_param, model_param, num_averaged):
    return 0.999 * averaged_param + 0.001 * model_param


def make_ema(model):
    return AveragedModel(model, avg_fn=ema_avg)
