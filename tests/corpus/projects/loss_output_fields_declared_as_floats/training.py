# corpus: NG003
"""A trainer handed its loss object: the class of what the loss returns is not known here, but
the project declares its `metrics` field as floats only, so a history of them holds no graph.
Its `extras` and its `loss` do keep each step's graph."""
import torch


class Trainer:
    def __init__(self, model, loss_fn):
        self.model = model
        self.loss_fn = loss_fn
        self.optimizer = torch.optim.Adam(model.parameters())
        self.history = []
        self.kept = []

    def fit(self, batches):
        for step, x in enumerate(batches):
            out = self.loss_fn(self.model, x)
            self.optimizer.zero_grad()
            out.loss.backward()
            self.optimizer.step()
            self.history.append({"step": step, **out.metrics})
            self.kept.append(out.extras)  # expect: NG003
        return self.history

    def fit_keeping_losses(self, batches):
        losses = []
        for x in batches:
            out = self.loss_fn(self.model, x)
            self.optimizer.zero_grad()
            out.loss.backward()
            self.optimizer.step()
            losses.append(out.loss)  # expect: NG003
        return losses
