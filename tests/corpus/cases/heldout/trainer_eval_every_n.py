# corpus: NG012, NG001
"""Step-based trainer that evaluates every N steps; its evaluate() leaves the model in eval mode."""
import torch
import torch.nn.functional as F


class StepTrainer:
    def __init__(self, model, optimizer, train_loader, val_loader, eval_every=500, max_steps=10000):
        self.model = model
        self.optimizer = optimizer
        self.train_loader = train_loader
        self.val_loader = val_loader
        self.eval_every = eval_every
        self.max_steps = max_steps

    @torch.no_grad()
    def evaluate(self):
        self.model.eval()
        losses = []
        for x, y in self.val_loader:
            losses.append(F.cross_entropy(self.model(x), y).item())
        return sum(losses) / len(losses)

    def fit(self):
        self.model.train()
        step = 0
        while step < self.max_steps:
            for x, y in self.train_loader:
                loss = F.cross_entropy(self.model(x), y)
                self.optimizer.zero_grad()
                loss.backward()
                self.optimizer.step()
                step += 1
                if step % self.eval_every == 0:
                    val = self.evaluate()  # expect: NG012
                    print(f"step {step}: val loss {val:.4f}")
                if step >= self.max_steps:
                    break
