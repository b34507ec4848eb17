# corpus: NG003
"""A trainer records the epoch's mean loss in its history. The mean is first stored in the
output dict the callbacks see, then read back from it; in the other trainer the append sits
inside a `set_grad_enabled(...)` block whose flag is only known at run time. Either way the
appended tensor is the mean of every batch's loss with its graph, kept for the whole run."""
import torch


class Trainer:
    def __init__(self, model, optimizer, data, epochs=10):
        self.model, self.optimizer, self.data, self.epochs = model, optimizer, data, epochs
        self.loss_history = {"train": []}

    def train(self):
        for epoch in range(self.epochs):
            losses = []
            output = {}
            for batch in self.data:
                output = self.model(batch)
                self.optimizer.zero_grad()
                output["loss"].backward()
                self.optimizer.step()
                losses.append(output["loss"].detach())
            output["mean_loss"] = torch.mean(torch.stack([self.model(b)["loss"] for b in self.data]))
            mean_loss = output["mean_loss"]
            self.loss_history["train"].append(mean_loss)  # expect: NG003


class FlagTrainer:
    def __init__(self, model, optimizer, data, epochs=10, grad_eval=False):
        self.model, self.optimizer, self.data, self.epochs = model, optimizer, data, epochs
        self.grad_eval = grad_eval
        self.history = []

    def train(self):
        for epoch in range(self.epochs):
            for batch in self.data:
                loss = self.model(batch).mean()
                self.optimizer.zero_grad()
                loss.backward()
                self.optimizer.step()
            epoch_loss = torch.stack([self.model(b).mean() for b in self.data]).mean()
            with torch.set_grad_enabled(self.grad_eval):
                self.history.append(epoch_loss)  # expect: NG003
