# corpus: NG002, NG001, NG008
"""DQN update: the bootstrap target comes from a frozen target network under no_grad."""
import copy

import torch
import torch.nn.functional as F
from torch import nn


class QNetwork(nn.Module):
    def __init__(self, obs_dim, n_actions, hidden=256):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(obs_dim, hidden), nn.ReLU(), nn.Linear(hidden, n_actions))

    def forward(self, obs):
        return self.body(obs)


class DQNAgent:
    def __init__(self, obs_dim, n_actions, gamma=0.99, tau=0.005):
        self.q = QNetwork(obs_dim, n_actions)
        self.target_q = copy.deepcopy(self.q).requires_grad_(False)
        self.optimizer = torch.optim.Adam(self.q.parameters(), lr=3e-4)
        self.gamma, self.tau = gamma, tau

    def update(self, batch):
        obs, actions, rewards, next_obs, dones = batch
        with torch.no_grad():
            next_q = self.target_q(next_obs).max(dim=1).values
            target = rewards + self.gamma * (1 - dones) * next_q
        q_taken = self.q(obs).gather(1, actions[:, None]).squeeze(1)
        loss = F.smooth_l1_loss(q_taken, target)
        self.optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(self.q.parameters(), 10.0)
        self.optimizer.step()
        with torch.no_grad():
            for p, tp in zip(self.q.parameters(), self.target_q.parameters()):
                tp.mul_(1 - self.tau).add_(self.tau * p)
        return loss.item()
