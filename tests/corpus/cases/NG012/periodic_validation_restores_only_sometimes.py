# corpus: NG012
# The step's logging helper leaves the model in eval mode on every step; the validation that puts
# it back in train mode runs only every 500 steps, so the steps in between train in eval mode.
import torch
import torch.nn.functional as F


class Runner:
    def __init__(self, model, optimizer, val_batches):
        self.model, self.optimizer, self.val_batches = model, optimizer, val_batches

    def probe(self, x):
        self.model.eval()
        with torch.no_grad():
            return self.model(x).norm().item()

    def validate(self):
        self.model.eval()
        with torch.no_grad():
            score = sum(self.model(x).mean().item() for x in self.val_batches)
        self.model.train()
        return score

    def step(self, x, y):
        loss = F.cross_entropy(self.model(x), y)
        norm = self.probe(x)
        print(norm)
        return loss

    def fit(self, loader):
        self.model.train()
        for i, (x, y) in enumerate(loader):
            loss = self.step(x, y)  # expect: NG012
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
            if i % 500 == 0:
                self.validate()
