# corpus: NG001
# A trainer builds its train and validation steps as closures once, stores them, and picks one
# per mini-batch loop; the validation loop runs under `no_grad` in `train`. The analysis cannot
# follow a closure through the attribute that holds it, so a closure its factory returns runs in
# a mode it does not know, and is not reported. `predict` is the trainer's own method.
import numpy as np
import torch


class StepByStep:
    def __init__(self, model, loss_fn, optimizer):
        self.model, self.loss_fn, self.optimizer = model, loss_fn, optimizer
        self.train_step_fn = self._make_train_step_fn()
        self.val_step_fn = self._make_val_step_fn()

    def _make_train_step_fn(self):
        def perform_train_step_fn(x, y):
            self.model.train()
            loss = self.loss_fn(self.model(x), y)
            loss.backward()
            self.optimizer.step()
            self.optimizer.zero_grad()
            return loss.item()

        return perform_train_step_fn

    def _make_val_step_fn(self):
        def perform_val_step_fn(x, y):
            self.model.eval()
            loss = self.loss_fn(self.model(x), y)
            return loss.item()

        return perform_val_step_fn

    def _mini_batch(self, loader, validation=False):
        step_fn = self.val_step_fn if validation else self.train_step_fn
        return np.mean([step_fn(x, y) for x, y in loader])

    def train(self, train_loader, val_loader, epochs):
        for _ in range(epochs):
            self._mini_batch(train_loader)
            with torch.no_grad():
                self._mini_batch(val_loader, validation=True)

    def predict(self, x):
        self.model.eval()
        y_hat = self.model(torch.as_tensor(x).float())  # expect: NG001
        self.model.train()
        return y_hat.detach().cpu().numpy()
