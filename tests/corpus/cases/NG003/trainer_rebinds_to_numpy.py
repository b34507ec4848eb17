# corpus: NG003
"""A trainer that rebinds the loss and logits to plain values once the step is done (correct)."""
import numpy as np
import torch
from torch import nn


class Trainer:
    def __init__(self, model: nn.Module, lr: float = 1e-3):
        self.model = model
        self.optimizer = torch.optim.Adam(model.parameters(), lr=lr)
        self.criterion = nn.CrossEntropyLoss()
        self.history = []
        self.epoch_loss = 0.0

    def train_epoch(self, loader):
        self.model.train()
        all_logits, all_preds = [], []
        for x, y in loader:
            self.optimizer.zero_grad()
            logits = self.model(x)
            loss = self.criterion(logits, y)
            loss.backward()
            self.optimizer.step()
            loss, n = float(loss), len(y)
            logits = logits.detach().cpu().numpy()
            preds = logits.argmax(axis=1)
            self.history.append(loss)
            self.epoch_loss += loss * n
            all_logits.append(logits)
            all_preds.append(preds)
        return np.concatenate(all_logits), np.concatenate(all_preds)
