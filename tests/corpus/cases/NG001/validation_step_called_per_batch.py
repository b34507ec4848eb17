# corpus: NG001
"""A small sklearn-style wrapper: `validation_step` puts the network in eval mode and runs it once;
`fit` calls it for every validation batch with grad on. The training loop next to it calls a step
that backpropagates, and `score_step` runs under no_grad itself: neither is reported."""
import torch


class Estimator:
    def __init__(self, module, optimizer, criterion):
        self.module_ = module
        self.optimizer_ = optimizer
        self.criterion_ = criterion

    def forward_batch(self, x):
        return self.module_(x)

    def train_step(self, x, y):
        self.module_.train()
        self.optimizer_.zero_grad()
        loss = self.criterion_(self.forward_batch(x), y)
        loss.backward()
        self.optimizer_.step()
        return loss.item()

    def validation_step(self, x, y):
        self.module_.eval()
        pred = self.forward_batch(x)
        return self.criterion_(pred, y).item()

    @torch.no_grad()
    def score_step(self, x, y):
        self.module_.eval()
        return self.criterion_(self.module_(x), y).item()

    def fit(self, train_batches, valid_batches, epochs):
        for _ in range(epochs):
            for x, y in train_batches:
                self.train_step(x, y)
            valid = []
            for x, y in valid_batches:  # expect: NG001
                valid.append(self.validation_step(x, y))
            scores = [self.score_step(x, y) for x, y in valid_batches]
        return valid, scores
