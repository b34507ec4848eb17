# corpus: NG001
import torch


class Trainer:
    def __init__(self, model, optimizer):
        self.model = model
        self.optimizer = optimizer

    def _rank_batch(self, batch):
        users, neighbours = batch
        return self.model.rank_predict(users, neighbours)

    @torch.no_grad()
    def evaluate(self, batches):
        batch_fn = self._rank_batch
        return [batch_fn(batch) for batch in batches]


def recommend(model, users):
    return model.greedy_predict(users, 5)
