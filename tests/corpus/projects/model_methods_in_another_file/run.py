# corpus: NG001
import sys

import torch

from networks import BagScorer, GatedBagScorer

if sys.argv[1:] == ["gated"]:
    scorer = GatedBagScorer()
else:
    scorer = BagScorer()
optimizer = torch.optim.SGD(scorer.parameters(), lr=0.1)


def fit(bags):
    scorer.train()
    for bag, label in bags:
        optimizer.zero_grad()
        loss = scorer.objective(bag, label)
        loss.backward()
        optimizer.step()


def report(bags):
    scorer.eval()
    wrong = 0
    for bag, label in bags:  # expect: NG001
        wrong += int(scorer.error(bag, label))
    return wrong


def report_guesses(bags):
    # `guess` disables grad itself: nothing to wrap.
    scorer.eval()
    return sum(int(scorer.guess(bag)) for bag, _ in bags)


def sizes(bags):
    # `describe` runs no forward pass.
    scorer.eval()
    return [scorer.describe(bag) for bag, _ in bags]


def check(bags):
    model = BagScorer()
    model.eval()
    losses = []
    for bag, label in bags:  # expect: NG001
        losses.append(model.objective(bag, label).item())
    return losses
