import torch


def evaluate(model, loader):
    model.eval()
    total = 0.0
    for x, y in loader:
        out = model(x)
        total += (out - y).abs().sum().item()
    return total


def embed_all(runner, batches):
    feats = []
    for b in batches:
        f = runner.encoder(b)
        feats.append(f.mean())
    return feats


def protected_eval(model, loader):
    model.eval()
    preds = []
    for x in loader:
        preds.append(model(x).argmax(1))
    return preds
