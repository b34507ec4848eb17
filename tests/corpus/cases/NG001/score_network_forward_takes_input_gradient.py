# corpus: NG001
"""A likelihood-ratio estimator's `forward` returns the score, the gradient of its output with
respect to its input, through `grad` imported from `torch.autograd`: evaluating it needs gradients
(under `no_grad` the call raises). Its evaluation loop is no forgotten `no_grad`; the plain
classifier's validation loop is."""
import torch
import torch.nn as nn
from torch.autograd import grad


class RatioEstimator(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.body = nn.Linear(width, 1)

    def forward(self, theta, x):
        if not theta.requires_grad:
            theta.requires_grad = True
        log_r = self.body(torch.cat((theta, x), 1))
        score = grad(log_r, theta, torch.ones_like(log_r), create_graph=True)[0]
        return log_r, score


class Classifier(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.body = nn.Linear(width, 2)

    def forward(self, x):
        return self.body(x)


def evaluate_ratio(estimator: RatioEstimator, batches):
    estimator.eval()
    scores = []
    for theta, x in batches:
        _, score = estimator(theta, x)
        scores.append(score.detach())
    return torch.cat(scores)


def evaluate_classifier(classifier: Classifier, batches):
    classifier.eval()
    correct = 0
    for x, y in batches:  # expect: NG001
        correct += (classifier(x).argmax(1) == y).sum().item()
    return correct
