# corpus: NG002
# The public estimator: `sample` fits first when needed; nothing calls it under no_grad.
from .training import train


class Estimator:
    def __init__(self, model):
        self.model = model
        self.fitted = False

    def fit(self, batches):
        train(self.model, batches)
        self.fitted = True

    def sample(self, batches, n):
        if not self.fitted:
            self.fit(batches)
        return self.model.draw(n)
