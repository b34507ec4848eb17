# corpus: NG002, NG003, NG004
"""BYOL: online network trained against a momentum target computed under no_grad (correct)."""
import copy

import torch
import torch.nn.functional as F
from torch import nn


def mlp(dim, hidden=4096, out=256):
    return nn.Sequential(nn.Linear(dim, hidden), nn.BatchNorm1d(hidden), nn.ReLU(inplace=True), nn.Linear(hidden, out))


class BYOL(nn.Module):
    def __init__(self, backbone, feat_dim, tau=0.996):
        super().__init__()
        self.online_encoder = nn.Sequential(backbone, mlp(feat_dim))
        self.online_predictor = mlp(256)
        self.target_encoder = copy.deepcopy(self.online_encoder)
        self.target_encoder.requires_grad_(False)
        self.tau = tau

    @staticmethod
    def regression_loss(p, z):
        return 2 - 2 * F.cosine_similarity(p, z.detach(), dim=-1).mean()

    @torch.no_grad()
    def update_target(self):
        for online, target in zip(self.online_encoder.parameters(), self.target_encoder.parameters()):
            target.mul_(self.tau).add_(online, alpha=1 - self.tau)

    def forward(self, x1, x2):
        with torch.no_grad():
            z1_t = self.target_encoder(x1)
            z2_t = self.target_encoder(x2)
        loss = self.regression_loss(self.online_predictor(self.online_encoder(x1)), z2_t)
        loss = loss + self.regression_loss(self.online_predictor(self.online_encoder(x2)), z1_t)
        return loss


def pretrain(model, loader, optimizer, epochs, augment):
    log = []
    for epoch in range(epochs):
        model.train()
        epoch_loss = 0.0
        for images, _ in loader:
            loss = model(augment(images), augment(images))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            model.update_target()
            epoch_loss += loss.item()
        log.append(epoch_loss / len(loader))
    return log
