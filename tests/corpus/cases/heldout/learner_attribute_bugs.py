# corpus: NG001, NG003, NG004
"""A small fit/score learner: attribute and dict accumulators of the tensor loss, a clamp of a learned
temperature inside forward, and a scikit-style score() without no_grad (bugs)."""
import torch
import torch.nn.functional as F
from torch import nn


class ScaledClassifier(nn.Module):
    def __init__(self, dim, n_classes):
        super().__init__()
        self.fc = nn.Linear(dim, n_classes)
        self.logit_scale = nn.Parameter(torch.tensor(10.0))

    def forward(self, x):
        self.logit_scale.clamp_(1.0, 100.0)  # expect: NG004
        return self.fc(F.normalize(x, dim=-1)) * self.logit_scale


class Learner:
    def __init__(self, module, lr=1e-3):
        self.module_ = module
        self.optimizer_ = torch.optim.Adam(module.parameters(), lr=lr)
        self.total_loss = 0.0
        self.stats = {"loss": 0.0, "steps": 0}

    def fit(self, loader, epochs=1):
        self.module_.train()
        for _ in range(epochs):
            for x, y in loader:
                loss = F.cross_entropy(self.module_(x), y)
                self.optimizer_.zero_grad()
                loss.backward()
                self.optimizer_.step()
                self.total_loss += loss  # expect: NG003
                self.stats["loss"] += loss  # expect: NG003
                self.stats["steps"] += 1
        return self

    def score(self, X, y):
        self.module_.eval()
        correct = 0
        for xb, yb in zip(X.split(256), y.split(256)):  # expect: NG001
            correct += (self.module_(xb).argmax(1) == yb).sum().item()
        return correct / len(y)
