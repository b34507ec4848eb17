# corpus: NG001
"""A linear-probe evaluator trains a classifier and, every few epochs, switches it to eval mode
and scores the test split inside the same loop. The scoring forward's output is turned into a
NumPy array in the same statement, so the graph it records is dropped at once. A second probe
scores under no_grad; a third computes a validation loss in the loop and keeps only its float
(the loss function gets the forward's graph, but nothing backpropagates through it either); a
fourth scores in train mode (BatchNorm statistics on purpose), and its graph is wasted as well:
`torch.no_grad()` keeps the statistics' updates and drops only the graph."""
import torch
import torch.nn.functional as F
from torch import nn
from sklearn.metrics import f1_score


def probe(feats, labels, train_idx, test_idx, epochs=100, every=10):
    clf = nn.Linear(feats.size(1), int(labels.max()) + 1)
    opt = torch.optim.Adam(clf.parameters(), lr=0.01)
    best = 0.0
    for epoch in range(epochs):
        clf.train()
        opt.zero_grad()
        F.cross_entropy(clf(feats[train_idx]), labels[train_idx]).backward()
        opt.step()
        if (epoch + 1) % every == 0:
            clf.eval()
            pred = clf(feats[test_idx]).argmax(-1).detach().cpu().numpy()  # expect: NG001
            best = max(best, f1_score(labels[test_idx].numpy(), pred, average="micro"))
    return best


def probe_quietly(feats, labels, train_idx, test_idx, epochs=100, every=10):
    clf = nn.Linear(feats.size(1), int(labels.max()) + 1)
    opt = torch.optim.Adam(clf.parameters(), lr=0.01)
    best = 0.0
    for epoch in range(epochs):
        clf.train()
        opt.zero_grad()
        F.cross_entropy(clf(feats[train_idx]), labels[train_idx]).backward()
        opt.step()
        if (epoch + 1) % every == 0:
            clf.eval()
            with torch.no_grad():
                pred = clf(feats[test_idx]).argmax(-1).cpu().numpy()
            best = max(best, f1_score(labels[test_idx].numpy(), pred, average="micro"))
    return best


def probe_with_patience(feats, labels, train_idx, val_idx, epochs=100):
    clf = nn.Linear(feats.size(1), int(labels.max()) + 1)
    opt = torch.optim.Adam(clf.parameters(), lr=0.01)
    losses = []
    for epoch in range(epochs):
        clf.train()
        opt.zero_grad()
        F.cross_entropy(clf(feats[train_idx]), labels[train_idx]).backward()
        opt.step()
        clf.eval()
        val_loss = F.cross_entropy(clf(feats[val_idx]), labels[val_idx])  # expect: NG001
        losses.append(float(val_loss))
    return losses


def probe_train_mode(feats, labels, train_idx, test_idx, epochs=100):
    clf = nn.Sequential(nn.BatchNorm1d(feats.size(1)), nn.Linear(feats.size(1), int(labels.max()) + 1))
    opt = torch.optim.Adam(clf.parameters(), lr=0.01)
    hits = []
    for epoch in range(epochs):
        opt.zero_grad()
        F.cross_entropy(clf(feats[train_idx]), labels[train_idx]).backward()
        opt.step()
        hits.append(clf(feats[test_idx]).argmax(-1).eq(labels[test_idx]).float().mean().item())  # expect: NG001
    return hits
