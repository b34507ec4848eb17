# corpus: NG012
"""A small trainer whose `fit` puts the model in train mode once, then trains epoch after epoch
through two levels of helpers (`_train_epoch` loops over batches, `_train_batch` takes the step).
Validation after each epoch puts the model in eval mode and nothing switches it back, so every
epoch after the first trains with dropout off and batch norm frozen. The second trainer switches
back at the top of each epoch, and the third validates only after the last one."""
import torch


class Trainer:
    def __init__(self, model, optimizer, loss_fn):
        self.model = model
        self.optimizer = optimizer
        self.loss_fn = loss_fn
        self.history = []

    def fit(self, train_loader, val_loader, epochs):
        self.model.train()
        for epoch in range(epochs):
            self._train_epoch(train_loader)
            self.validate(val_loader)  # expect: NG012

    def _train_epoch(self, loader):
        for batch in loader:
            self._train_batch(batch)

    def _train_batch(self, batch):
        x, y = batch
        self.optimizer.zero_grad()
        loss = self.loss_fn(self.model(x), y)
        loss.backward()
        self.optimizer.step()
        self.history.append(loss.item())

    @torch.no_grad()
    def validate(self, loader):
        self.model.eval()
        return sum(self.loss_fn(self.model(x), y).item() for x, y in loader) / len(loader)


class RestoringTrainer(Trainer):
    def fit(self, train_loader, val_loader, epochs):
        for epoch in range(epochs):
            self.model.train()
            self._train_epoch(train_loader)
            self.validate(val_loader)


class FinalCheckTrainer(Trainer):
    def fit(self, train_loader, val_loader, epochs):
        self.model.train()
        for epoch in range(epochs):
            self._train_epoch(train_loader)
        return self.validate(val_loader)
