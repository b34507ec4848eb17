# corpus: NG003
"""An outlier detector's step returns its loss together with per-node scores it has already
detached; a helper mixes the scores, and the mix is written into the detector's score table. Only
the loss has history. The table of raw losses, though, keeps every step's graph."""
import torch
from torch import nn


class Detector:
    def __init__(self, features):
        self.model = nn.Linear(features, features)

    def score_model(self, x):
        error = (self.model(x) - x).pow(2)
        return error.mean(), error.sum(1).cpu().detach(), error.max(1).values.cpu().detach()

    def _mix(self, a, b, wa, wb):
        return wa * a + wb * b

    def fit(self, batches, n):
        optimizer = torch.optim.Adam(self.model.parameters())
        self.scores = torch.zeros(n)
        self.losses = []
        for index, x in batches:
            loss, total, worst = self.score_model(x)
            score = self._mix(total, worst, 0.5, 0.5)
            self.scores[index] = score.squeeze(0)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            self.losses.append(loss)  # expect: NG003
        return self
