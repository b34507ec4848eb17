# corpus: NG001
"""Pruning scores from ablation: the function first trains the classifier head (a real backward
pass), then puts the model in eval mode and, batch after batch, zeroes each output channel of a few
layers in turn and records how much the loss rises. Those thousands of forwards run with gradients
on; only Python numbers leave them. The channel loop's bounds come from the layer
(`range(layer.out_channels)`) and the layers from a progress bar, neither of which is a model."""
import torch
from tqdm import tqdm


def channel_importance(model, loader, criterion, optimizer, layer_names, epochs=1):
    model.train()
    for _ in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()

    model.eval()
    layers = dict(model.named_modules())
    scores = {name: [0.0] * layers[name].out_channels for name in layer_names}
    for i, (x, y) in enumerate(loader):  # expect: NG001
        base = criterion(model(x), y)
        for name in tqdm(layer_names):
            layer = layers[name]
            for j in range(layer.out_channels):
                saved = layer.weight.data[j].clone()
                layer.weight.data[j] = 0.0
                drop = (criterion(model(x), y) - base).item()
                scores[name][j] = (i * scores[name][j] + drop) / (i + 1)
                layer.weight.data[j] = saved
    return scores
