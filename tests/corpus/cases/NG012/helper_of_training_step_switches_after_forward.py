# corpus: NG012
# The training step computes its loss, then logs embeddings through a helper that switches the
# model to eval mode and never back: every later step trains in eval mode.
import torch
import torch.nn.functional as F


class Finetuner:
    def __init__(self, model, optimizer):
        self.model, self.optimizer = model, optimizer
        self.bank = []

    def embeddings(self, x):
        self.model.eval()
        with torch.no_grad():
            return self.model(x).mean(1)

    def loss_step(self, x, y):
        loss = F.cross_entropy(self.model(x), y)
        emb = self.embeddings(x)
        self.bank.append(emb)
        return loss

    def fit(self, loader):
        self.model.train()
        for x, y in loader:
            loss = self.loss_step(x, y)  # expect: NG012
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()


class FrozenStatistics:
    """A step that puts the model in eval mode before its own forward trains with frozen batch
    norm on purpose: the next iteration's step does the same."""

    def __init__(self, model, optimizer):
        self.model, self.optimizer = model, optimizer

    def adapt_loss(self, x, y):
        self.model.eval()
        return F.cross_entropy(self.model(x), y)

    def fit(self, loader):
        self.model.train()
        for x, y in loader:
            loss = self.adapt_loss(x, y)
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
