# corpus: NG012, NG001
"""Step-based trainer that evaluates every `eval_every` steps through a method."""
import torch


class Trainer:
    def __init__(self, model, optimizer, train_loader, val_loader, eval_every=500):
        self.model = model
        self.optimizer = optimizer
        self.train_loader = train_loader
        self.val_loader = val_loader
        self.eval_every = eval_every

    def run_validation(self):
        self.model.eval()
        losses = []
        with torch.no_grad():
            for batch in self.val_loader:
                losses.append(self.model(**batch).loss.item())
        return sum(losses) / len(losses)

    def train(self, max_steps):
        self.model.train()
        step = 0
        while step < max_steps:
            for batch in self.train_loader:
                loss = self.model(**batch).loss
                loss.backward()
                self.optimizer.step()
                self.optimizer.zero_grad()
                step += 1
                if step % self.eval_every == 0:
                    print(step, self.run_validation())  # expect: NG012
                if step >= max_steps:
                    break
