# corpus: NG003
"""Binary classifier that collects training probabilities for an epoch AUC: the probabilities keep their graphs."""
import torch
import torch.nn.functional as F
from sklearn.metrics import roc_auc_score


def train_epoch(model, loader, optimizer, device):
    model.train()
    train_probs, train_labels, train_hard = [], [], []
    n_pos = 0
    for x, y in loader:
        x, y = x.to(device), y.to(device).float()
        logits = model(x).squeeze(-1)
        loss = F.binary_cross_entropy_with_logits(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        probs = torch.sigmoid(logits)
        train_probs.append(probs)  # expect: NG003
        train_hard.append(probs > 0.5)
        train_labels.append(y)
        n_pos += (y == 1).sum()
    probs = torch.cat(train_probs).detach().cpu().numpy()
    labels = torch.cat(train_labels).cpu().numpy()
    acc = (torch.cat(train_hard).float().cpu() == torch.cat(train_labels).cpu()).float().mean().item()
    return roc_auc_score(labels, probs), acc, int(n_pos)


def train_epoch_fixed(model, loader, optimizer, device):
    model.train()
    train_probs, train_labels = [], []
    for x, y in loader:
        logits = model(x.to(device)).squeeze(-1)
        loss = F.binary_cross_entropy_with_logits(logits, y.to(device).float())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        train_probs.append(torch.sigmoid(logits).detach().cpu())
        train_labels.append(y)
    return roc_auc_score(torch.cat(train_labels).numpy(), torch.cat(train_probs).numpy())
