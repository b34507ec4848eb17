# corpus: NG001
"""A cached contrastive loss runs its mini-batches twice: first without grad to cache the
embeddings, then with grad to backpropagate; the per-mini-batch helper picks the context from its
flag (`nullcontext if with_grad else torch.no_grad`). Its generator of mini-batches is no
evaluation loop."""
from contextlib import nullcontext

import torch


class CachedLoss:
    def __init__(self, model, mini_batch_size=8):
        self.model = model
        self.mini_batch_size = mini_batch_size

    def predict_minibatch(self, features, with_grad):
        grad_context = nullcontext if with_grad else torch.no_grad
        with grad_context():
            return self.model(features)

    def predict_minibatch_iter(self, features, with_grad):
        for start in range(0, len(features), self.mini_batch_size):
            yield self.predict_minibatch(features[start:start + self.mini_batch_size], with_grad=with_grad)

    def __call__(self, features, labels):
        with torch.no_grad():
            cached = torch.cat(list(self.predict_minibatch_iter(features, with_grad=False)))
        loss = torch.nn.functional.cross_entropy(cached, labels)
        return loss
