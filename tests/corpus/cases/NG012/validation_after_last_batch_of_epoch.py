# corpus: NG012
"""Recommender-style fit: validation runs after the last batch of an epoch (the index from
`enumerate(..., 1)` equals the number of batches), and the epoch loop puts the model back in train
mode at its top, so no batch ever trains in eval mode. The second trainer validates every 50
batches, and the third validates on the last batch but never calls `.train()` again: the next
epoch trains in eval mode."""
import torch


class LastBatchTrainer:
    def _validate(self, val_set):
        self.model.eval()
        with torch.no_grad():
            return sum(self.model(x).sum().item() for x in val_set)

    def fit(self, loader, val_set, epochs):
        optimizer = torch.optim.Adam(self.model.parameters())
        epoch_length = len(loader)
        for epoch in range(epochs):
            self.model.train()
            for i, batch in enumerate(loader, 1):
                loss = self.model(batch).mean()
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                if i != epoch_length or val_set is None:
                    continue
                elif epoch % 2 == 0:
                    self._validate(val_set)


class PeriodicTrainer:
    def _validate(self, val_set):
        self.model.eval()
        with torch.no_grad():
            return sum(self.model(x).sum().item() for x in val_set)

    def fit(self, loader, val_set, epochs):
        optimizer = torch.optim.Adam(self.model.parameters())
        for epoch in range(epochs):
            self.model.train()
            for i, batch in enumerate(loader):
                loss = self.model(batch).mean()
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                if i % 50 == 0:
                    self._validate(val_set)  # expect: NG012


def fit_last_batch_without_restore(model, loader, val_set, epochs):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    model.train()
    for epoch in range(epochs):
        for i, (x, y) in enumerate(loader):
            loss = torch.nn.functional.mse_loss(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if i == len(loader) - 1:
                model.eval()  # expect: NG012
                with torch.no_grad():
                    print(sum(model(v).sum().item() for v, _ in val_set))
