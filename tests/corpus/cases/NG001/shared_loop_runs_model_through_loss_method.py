# corpus: NG001
"""A trainer runs training, validation and test through one shared loop that takes a mode string
and backpropagates only when it is "train". The loop runs the model through a method of the
model's class that computes the forward pass and the losses together. Called with "val" or
"test", the loop computes every batch's graph and only reads `.item()` from it. A second trainer
calls a method of its model that only scores stored predictions: no forward, nothing to report.
A third validates a critic whose loss method takes an input gradient: it needs grad on."""
import torch
import torch.nn.functional as F


class BagClassifier(torch.nn.Module):
    def __init__(self, features):
        super().__init__()
        self.attention = torch.nn.Linear(features, 1)
        self.head = torch.nn.Linear(features, 1)

    def forward(self, bags):
        weights = torch.softmax(self.attention(bags), dim=1)
        return self.head((weights * bags).sum(1)).squeeze(-1)

    def loss_and_prediction(self, batch):
        logits = self.forward(batch["bags"])
        return logits, {"bce": F.binary_cross_entropy_with_logits(logits, batch["labels"])}


class Scorer:
    def __init__(self):
        self.stored = []

    def score_stored(self, batch):
        return sum(self.stored), {"count": float(len(batch))}


class Trainer:
    def __init__(self, model, optimizer):
        self.model = model
        self.optimizer = optimizer

    def fit(self, epochs, train_loader, val_loader):
        for epoch in range(epochs):
            self._shared_loop(train_loader, mode="train")
            self._shared_loop(val_loader, mode="val")  # expect: NG001

    def _shared_loop(self, loader, mode="train"):
        total = 0.0
        for batch in loader:
            self.optimizer.zero_grad()
            prediction, losses = self.model.loss_and_prediction(batch)
            loss = sum(losses.values())
            total += loss.item()
            if mode == "train":
                loss.backward()
                self.optimizer.step()
        return total / max(len(loader), 1)


class ScoreKeeper:
    def __init__(self, scorer):
        self.scorer = scorer

    def run(self, loader):
        self._loop(loader, mode="train")
        self._loop(loader, mode="val")

    def _loop(self, loader, mode="train"):
        total = 0.0
        for batch in loader:
            value, counts = self.scorer.score_stored(batch)
            total += value
            if mode == "train":
                counts["count"] += 1
        return total


class PenalizedCritic(torch.nn.Module):
    """Its loss method takes an input gradient (a gradient penalty): it needs grad on even when
    nothing steps, so `no_grad` around the validation call would make it raise."""

    def __init__(self, features):
        super().__init__()
        self.score = torch.nn.Linear(features, 1)

    def forward(self, x):
        return self.score(x).squeeze(-1)

    def penalized_loss(self, batch):
        inputs = batch["bags"].requires_grad_()
        scores = self.forward(inputs)
        slope = torch.autograd.grad(scores.sum(), inputs, create_graph=True)[0]
        return scores, {"penalty": (slope.norm(dim=-1) - 1).pow(2).mean()}


class CriticTrainer:
    def __init__(self, model, optimizer):
        self.model = model
        self.optimizer = optimizer

    def fit(self, epochs, train_loader, val_loader):
        for epoch in range(epochs):
            self._shared_loop(train_loader, mode="train")
            self._shared_loop(val_loader, mode="val")

    def _shared_loop(self, loader, mode="train"):
        total = 0.0
        for batch in loader:
            scores, losses = self.model.penalized_loss(batch)
            loss = sum(losses.values())
            total += loss.item()
            if mode == "train":
                self.optimizer.zero_grad()
                loss.backward()
                self.optimizer.step()
        return total
