# corpus: NG001
"""Federated set-up: the model class is chosen once (`base_model = GraphClassifier`) and one
model is built per client in a comprehension. Calling the class builds a module; nothing runs
a forward there. The evaluation further down does run one, with grad on."""
import torch
from torch import nn


class GraphClassifier(nn.Module):
    def __init__(self, features, hidden, classes):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(features, hidden), nn.ReLU(), nn.Linear(hidden, classes))

    def forward(self, x):
        return self.body(x)


class Client:
    def __init__(self, index, model, data):
        self.index, self.model, self.data = index, model, data


def build_clients(datasets, hidden=64):
    base_model = GraphClassifier
    clients = [
        Client(index, base_model(data.num_features, hidden, data.num_classes), data)
        for index, data in enumerate(datasets)
    ]
    print(f"{len(clients)} clients ready")


def evaluate_clients(clients, loaders):
    accuracies = []
    for model, loader in zip(clients, loaders):
        model.eval()
        correct = 0
        for x, y in loader:  # expect: NG001
            correct += (model(x).argmax(-1) == y).sum().item()
        accuracies.append(correct)
    return accuracies
