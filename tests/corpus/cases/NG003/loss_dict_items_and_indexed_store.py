# corpus: NG003
import torch


def train(model, loader, optimizer, criterion, epochs):
    epoch_losses = [0.0] * epochs
    totals = {"ce": 0.0, "reg": 0.0}
    for epoch in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            out = model(x)
            loss_dict = {"ce": criterion(out, y), "reg": out.pow(2).mean()}
            loss = sum(loss_dict.values())
            loss.backward()
            optimizer.step()
            for name, value in loss_dict.items():
                totals[name] += value  # expect: NG003
            epoch_losses[epoch] = loss  # expect: NG003
    return totals, epoch_losses


def train_clean(model, loader, optimizer, criterion):
    per_step = {}
    for step, (x, y) in enumerate(loader):
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        per_step[step] = loss.item()
        batch = {"x": x, "y": y}
        batch["loss"] = loss
    return per_step
