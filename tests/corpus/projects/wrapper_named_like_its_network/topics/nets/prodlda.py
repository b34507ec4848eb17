import torch
from torch import nn
import torch.nn.functional as F


class ProdLDA(nn.Module):
    def __init__(self, vocab, topics, hidden=100):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(vocab, hidden), nn.Softplus())
        self.mu = nn.Linear(hidden, topics)
        self.logvar = nn.Linear(hidden, topics)
        self.beta = nn.Linear(topics, vocab, bias=False)

    def topic_mixture(self, bows):
        h = self.encoder(bows)
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.randn_like(mu) * (0.5 * logvar).exp()
        return F.softmax(z, dim=-1)

    def forward(self, bows):
        theta = self.topic_mixture(bows)
        return F.log_softmax(self.beta(theta), dim=-1)
