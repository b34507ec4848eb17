# corpus: NG001
"""The package's user-facing class has the same name as the network it wraps, from another
module. Its inference method puts the network in eval mode and runs it, batch by batch, through
the network's own method; the topic mixtures only become arrays, so every batch records a graph
for nothing. The wrapper's own class has no such method: the call is the network's."""
import numpy as np
import torch

from .nets import prodlda


class ProdLDA:
    def __init__(self, vocab, topics=20):
        self.model = prodlda.ProdLDA(vocab, topics)
        self.opt = torch.optim.Adam(self.model.parameters(), lr=2e-3)

    def fit(self, batches, epochs=10):
        self.model.train()
        for _ in range(epochs):
            for bows in batches:
                loss = -(bows * self.model(bows)).sum(1).mean()
                self.opt.zero_grad()
                loss.backward()
                self.opt.step()

    def infer(self, batches):
        self.model.eval()
        mixtures = []
        for bows in batches:  # expect: NG001
            theta = self.model.topic_mixture(bows)
            mixtures.append(theta.cpu().detach().numpy())
        return np.concatenate(mixtures)
