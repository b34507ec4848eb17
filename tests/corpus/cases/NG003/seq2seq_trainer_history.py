# corpus: NG003, NG005, NG010
"""A small seq2seq trainer that keeps a per-step loss history for plotting."""
import torch
from torch import nn


class Seq2SeqTrainer:
    def __init__(self, model: nn.Module, lr: float = 3e-4, pad_id: int = 0):
        self.model = model
        self.optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
        self.criterion = nn.CrossEntropyLoss(ignore_index=pad_id)
        self.history = []
        self.step = 0

    def fit(self, loader, epochs: int = 1):
        self.model.train()
        for _ in range(epochs):
            for src, tgt in loader:
                self.optimizer.zero_grad()
                out = self.model(src, tgt[:, :-1])
                loss = self.criterion(out.reshape(-1, out.size(-1)), tgt[:, 1:].reshape(-1))
                loss.backward()
                nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
                self.optimizer.step()
                self.step += 1
                self.history.append(loss)  # expect: NG003
        return self.history
