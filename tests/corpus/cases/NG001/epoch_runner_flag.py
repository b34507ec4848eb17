# corpus: NG001
"""One epoch runner for both phases: it backpropagates only under `if training:`. The validation
call passes False with gradients enabled, so its forward passes record graphs for nothing; the
test call is already under no_grad, and the training call passes nothing."""
import torch


class Runner:
    def __init__(self, model, optimizer, criterion):
        self.model, self.optimizer, self.criterion = model, optimizer, criterion

    def run_epoch(self, loader, training=True):
        self.model.train() if training else self.model.eval()
        total = 0.0
        for inputs, labels in loader:
            loss = self.criterion(self.model(inputs), labels)
            if training:
                self.optimizer.zero_grad()
                loss.backward()
                self.optimizer.step()
            total += loss.item()
        return total / max(len(loader), 1)

    def fit(self, train_loader, val_loader, test_loader, epochs):
        for _ in range(epochs):
            self.run_epoch(train_loader)
            self.run_epoch(val_loader, training=False)  # expect: NG001
        with torch.no_grad():
            return self.run_epoch(test_loader, False)
