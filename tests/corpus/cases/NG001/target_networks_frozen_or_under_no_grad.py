# corpus: NG001
"""Agents that compute their targets correctly: one under `torch.no_grad()`, one whose target
network's parameters are frozen when it is built (no graph is recorded through it), and one whose
"target" output is part of the loss on purpose (a double-Q estimate whose gradient flows into the
online network that shares the call)."""
import copy

import torch
from torch import nn
import torch.nn.functional as F


class QNet(nn.Module):
    def __init__(self, n_obs, n_act):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(n_obs, 64), nn.ReLU(), nn.Linear(64, n_act))

    def forward(self, x):
        return self.body(x)


class CarefulDQN:
    def __init__(self, n_obs, n_act):
        self.online = QNet(n_obs, n_act)
        self.target = copy.deepcopy(self.online)
        self.opt = torch.optim.Adam(self.online.parameters())

    def update(self, s, a, r, s2, gamma=0.99):
        with torch.no_grad():
            y = r + gamma * self.target(s2).max(1)[0]
        q = self.online(s).gather(1, a.unsqueeze(1)).squeeze(1)
        loss = F.smooth_l1_loss(q, y)
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()


class FrozenTargetDQN:
    def __init__(self, n_obs, n_act):
        self.online = QNet(n_obs, n_act)
        self.target = copy.deepcopy(self.online)
        self.target.requires_grad_(False)
        self.opt = torch.optim.Adam(self.online.parameters())

    def update(self, s, a, r, s2, gamma=0.99):
        y = r + gamma * self.target(s2).max(1)[0]
        q = self.online(s).gather(1, a.unsqueeze(1)).squeeze(1)
        loss = F.smooth_l1_loss(q, y.detach())
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()


class SharedEstimate:
    def __init__(self, n_obs, n_act):
        self.online = QNet(n_obs, n_act)
        self.shadow = QNet(n_obs, n_act)
        self.opt = torch.optim.Adam(list(self.online.parameters()) + list(self.shadow.parameters()))

    def update(self, s, a, r):
        estimate = self.shadow(s)
        loss = F.mse_loss(self.online(s) + estimate, r)
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
