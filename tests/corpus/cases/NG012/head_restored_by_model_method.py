# corpus: NG012
"""An attribute classifier on a frozen pretrained encoder. Every epoch starts with the model's own
`train_head()`, which freezes the encoder and puts only the head back in training mode: the encoder
is meant to stay in eval mode, so the evaluation's `classifier.eval()` is undone where it matters.
The second trainer's epochs call a method that switches nothing, and its model stays in eval mode
for every epoch after the first evaluation."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class HeadClassifier(nn.Module):
    def __init__(self, dim, classes):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(dim, dim), nn.Dropout(0.1))
        self.encoder.eval()
        self.head = nn.Sequential(nn.Dropout(0.2), nn.Linear(dim, classes))

    def train_head(self):
        for p in self.encoder.parameters():
            p.requires_grad = False
        self.head.train()

    def log_shapes(self):
        return [tuple(p.shape) for p in self.head.parameters()]

    def forward(self, x):
        return F.log_softmax(self.head(self.encoder(x)), dim=-1)


def train_epoch(classifier, loader, optimizer):
    classifier.train_head()
    for x, y in loader:
        optimizer.zero_grad()
        F.nll_loss(classifier(x), y).backward()
        optimizer.step()


def train_epoch_plain(classifier, loader, optimizer):
    classifier.log_shapes()
    for x, y in loader:
        optimizer.zero_grad()
        F.nll_loss(classifier(x), y).backward()
        optimizer.step()


def evaluate(classifier, loader):
    classifier.eval()
    hits = 0
    with torch.no_grad():
        for x, y in loader:
            hits += int((classifier(x).argmax(1) == y).sum())
    return hits


def fit(classifier, loader, val_loader, epochs=3):
    optimizer = torch.optim.Adam(classifier.head.parameters())
    for _ in range(epochs):
        train_epoch(classifier, loader, optimizer)
        evaluate(classifier, val_loader)


def fit_plain(classifier, loader, val_loader, epochs=3):
    optimizer = torch.optim.Adam(classifier.parameters())
    for _ in range(epochs):
        train_epoch_plain(classifier, loader, optimizer)
        evaluate(classifier, val_loader)  # expect: NG012
