# corpus: NG001
"""A predictor's public method puts the model in eval mode and hands the batch to a private
helper that runs it with gradients on and returns only numpy: the helper records a graph nothing
uses. A helper that a training method also calls finds the model in train mode there and is left
at its own forward; the public `score` that puts the model in eval mode and runs it through that
helper, keeping only `.item()`, records a graph nothing uses and is reported where it calls it."""
import torch


class Predictor:
    def __init__(self, model, optimizer):
        self.model = model
        self.optimizer = optimizer

    def _predict(self, batch):
        scores = self.model(batch)  # expect: NG001
        return scores.softmax(-1).detach().cpu().numpy()

    def predict(self, rows):
        self.model.eval()
        return self._predict(torch.as_tensor(rows))

    def _loss(self, batch, target):
        return torch.nn.functional.cross_entropy(self.model(batch), target)

    def score(self, rows, target):
        self.model.eval()
        return self._loss(torch.as_tensor(rows), target).item()  # expect: NG001

    def fit_step(self, rows, target):
        self.model.train()
        loss = self._loss(torch.as_tensor(rows), target)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
