# corpus: NG001
"""An attack builds its models from classes defined inside a setup method and stores them on
`self`; another method runs them batch by batch after `.eval()`. The matcher's forward takes
gradients of the classifier's loss (`torch.autograd.grad`), so its loop needs grad mode; the
scorer's forward does not, and its loop records graphs nothing uses."""
import torch
from torch import nn


class PoisonAttack:
    def __init__(self, classifier):
        self.classifier = classifier

    def setup(self, target_grad):
        def weight_grad(model, x, y):
            loss = nn.functional.cross_entropy(model(x), y)
            return torch.autograd.grad(loss, list(model.parameters()), create_graph=True)

        class GradientMatcher(nn.Module):
            def __init__(self, model):
                super().__init__()
                self.model = model

            def forward(self, x, y):
                grads = weight_grad(self.model, x, y)
                return sum((g * t).sum() for g, t in zip(grads, target_grad))

        class Scorer(nn.Module):
            def __init__(self, model):
                super().__init__()
                self.model = model

            def forward(self, x):
                return self.model(x).softmax(-1).max(-1).values

        self.matcher = GradientMatcher(self.classifier)
        self.scorer = Scorer(self.classifier)

    def match_scores(self, loader):
        self.matcher.eval()
        total = 0.0
        for x, y in loader:
            total += self.matcher(x, y).item()
        return total

    def confidence(self, loader):
        self.scorer.eval()
        scores = []
        for x, _ in loader:  # expect: NG001
            scores.append(self.scorer(x).mean().item())
        return scores
