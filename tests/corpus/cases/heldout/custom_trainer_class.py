# corpus: NG001, NG002, NG003, NG012
"""A project's own Trainer class (not Lightning's): train/validate/test methods, all correct."""
import torch
import torch.nn.functional as F


class Trainer:
    def __init__(self, model, optimizer, scheduler=None, device="cpu", grad_clip=1.0):
        self.model = model.to(device)
        self.optimizer = optimizer
        self.scheduler = scheduler
        self.device = device
        self.grad_clip = grad_clip
        self.history = {"train": [], "val": []}

    def _step(self, batch):
        x, y = (t.to(self.device) for t in batch)
        return F.cross_entropy(self.model(x), y)

    def train(self, loader):
        self.model.train()
        total = 0.0
        for batch in loader:
            loss = self._step(batch)
            self.optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.grad_clip)
            self.optimizer.step()
            total += loss.item()
        if self.scheduler is not None:
            self.scheduler.step()
        return total / len(loader)

    @torch.no_grad()
    def validate(self, loader):
        self.model.eval()
        losses = [self._step(batch).item() for batch in loader]
        return sum(losses) / len(losses)

    def test(self, loader):
        self.model.eval()
        correct = n = 0
        with torch.no_grad():
            for x, y in loader:
                correct += (self.model(x.to(self.device)).argmax(1).cpu() == y).sum().item()
                n += y.numel()
        return correct / n

    def fit(self, train_loader, val_loader, epochs):
        for epoch in range(epochs):
            self.history["train"].append(self.train(train_loader))
            self.history["val"].append(self.validate(val_loader))
        return self.history
