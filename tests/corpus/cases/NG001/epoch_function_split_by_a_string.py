# corpus: NG001
"""One epoch function serves every split: it backpropagates only when its `split` (or `mode`)
string says training, directly or through a local (`is_train = split == "train"`). The calls
that pass another split evaluate with gradients on; the training calls do not."""
import torch


def run_epoch(model, loader, split, optimizer=None):
    is_train = split == "train"
    model.train(is_train)
    total = 0.0
    for x, y in loader:
        loss = torch.nn.functional.mse_loss(model(x), y)
        if is_train:
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        total += loss.item()
    return total / max(len(loader), 1)


def one_pass(model, loader, optimizer, mode="train"):
    for x, y in loader:
        loss = model(x).pow(2).mean()
        if mode != "eval":
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


def fit(model, train_loader, valid_loader, optimizer, epochs):
    for _ in range(epochs):
        run_epoch(model, train_loader, "train", optimizer)
        run_epoch(model, valid_loader, split="valid")  # expect: NG001
        one_pass(model, train_loader, optimizer)
        one_pass(model, valid_loader, optimizer, mode="eval")  # expect: NG001
        with torch.no_grad():
            run_epoch(model, valid_loader, "test")
