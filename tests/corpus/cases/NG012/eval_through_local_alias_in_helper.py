# corpus: NG012
"""A trainer's evaluation method reads its model into a local first (`model = self.model`, as
simpletransformers' `evaluate` does) and switches that to eval mode: the object's model stays in
eval mode when the training loop calls it every few steps, and later steps train with dropout off.
A helper that puts the local back in train mode before returning leaves nothing behind."""
import torch


class Trainer:
    def __init__(self, model, optimizer):
        self.model = model
        self.optimizer = optimizer

    def train(self, loader, val_loader):
        model = self.model
        model.train()
        for epoch in range(3):
            for step, (x, y) in enumerate(loader):
                loss = torch.nn.functional.cross_entropy(model(x), y)
                loss.backward()
                self.optimizer.step()
                self.optimizer.zero_grad()
                if step % 100 == 0:
                    self.evaluate(val_loader)  # expect: NG012

    def evaluate(self, val_loader):
        model = self.model
        model.eval()
        correct = 0
        with torch.no_grad():
            for x, y in val_loader:
                correct += (model(x).argmax(1) == y).sum().item()
        return correct


class RestoringTrainer(Trainer):
    def fit(self, batches, val_loader, every=100):
        model = self.model
        model.train()
        for i, (x, y) in enumerate(batches):
            self.optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            self.optimizer.step()
            if i % every == 0:
                print(i, self.score(val_loader))

    def score(self, val_loader):
        model = self.model
        model.eval()
        with torch.no_grad():
            total = sum(model(x).sum().item() for x, _ in val_loader)
        model.train()
        return total
