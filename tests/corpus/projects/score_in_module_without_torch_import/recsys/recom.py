# corpus: NG001
"""A recommender module that never imports torch: it builds the network from the project inside
`fit`, and `score` puts it in eval mode and runs it once per user with gradients on, handing back
only a NumPy array. `explain` returns the raw scores, whose graph a caller may use."""


class BasketRecommender:
    def __init__(self, n_items, dim=32):
        self.n_items = n_items
        self.dim = dim
        self.model = None

    def fit(self, loader, epochs=5):
        from .net import BasketNet, learn

        self.model = BasketNet(self.n_items, self.dim)
        learn(self.model, loader, epochs)
        return self

    def score(self, history):
        self.model.eval()
        preds = self.model(history)  # expect: NG001
        return preds.cpu().detach().numpy()

    def explain(self, history):
        self.model.train()
        return self.model(history)
