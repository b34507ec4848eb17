# corpus: NG001, NG002, NG003
"""Linear probing: backbone features under no_grad, only the linear head is trained (correct)."""
import torch
import torch.nn.functional as F
from torch import nn


def extract(backbone, x):
    with torch.no_grad():
        feats = backbone(x)
    return feats.flatten(1)


def train_probe(backbone, head, loader, epochs=10, lr=0.1):
    backbone.eval()
    optimizer = torch.optim.SGD(head.parameters(), lr=lr, momentum=0.9)
    for epoch in range(epochs):
        head.train()
        for x, y in loader:
            with torch.no_grad():
                feats = backbone(x)
            logits = head(feats.flatten(1))
            loss = F.cross_entropy(logits, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return head


def train_probe_cached(backbone, loader, num_classes, dim, epochs=100):
    backbone.eval()
    with torch.no_grad():
        cached = [(backbone(x).flatten(1), y) for x, y in loader]
    head = nn.Linear(dim, num_classes)
    opt = torch.optim.LBFGS(head.parameters(), lr=1, max_iter=20)
    feats = torch.cat([f for f, _ in cached])
    labels = torch.cat([y for _, y in cached])
    for _ in range(epochs):
        def closure():
            opt.zero_grad()
            loss = F.cross_entropy(head(feats), labels) + 1e-4 * head.weight.pow(2).sum()
            loss.backward()
            return loss
        opt.step(closure)
    return head


def knn_probe_helper(backbone, head, x):
    feats = extract(backbone, x)
    loss = head(feats).logsumexp(-1).mean()
    loss.backward()
    return loss.item()
