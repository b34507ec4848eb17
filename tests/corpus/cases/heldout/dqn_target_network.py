# corpus: NG001, NG002, NG003, NG004
"""DQN agent with a target network and Polyak averaging (all correct)."""
import copy
import random

import torch
import torch.nn.functional as F
from torch import nn


class QNet(nn.Module):
    def __init__(self, obs_dim, n_actions):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(obs_dim, 128), nn.ReLU(), nn.Linear(128, n_actions))

    def forward(self, x):
        return self.net(x)


class DQNAgent:
    def __init__(self, obs_dim, n_actions, gamma=0.99, tau=0.005, lr=1e-3):
        self.q = QNet(obs_dim, n_actions)
        self.q_target = copy.deepcopy(self.q)
        for p in self.q_target.parameters():
            p.requires_grad = False
        self.opt = torch.optim.Adam(self.q.parameters(), lr=lr)
        self.gamma, self.tau, self.n_actions = gamma, tau, n_actions

    @torch.no_grad()
    def act(self, obs, eps):
        if random.random() < eps:
            return random.randrange(self.n_actions)
        return self.q(obs.unsqueeze(0)).argmax(-1).item()

    def update(self, batch):
        obs, act, rew, next_obs, done = batch
        q = self.q(obs).gather(1, act.unsqueeze(1)).squeeze(1)
        with torch.no_grad():
            next_q = self.q_target(next_obs).max(1).values
            target = rew + self.gamma * (1 - done) * next_q
        loss = F.smooth_l1_loss(q, target)
        self.opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(self.q.parameters(), 10.0)
        self.opt.step()
        self.soft_update()
        return loss.item()

    @torch.no_grad()
    def soft_update(self):
        for tp, p in zip(self.q_target.parameters(), self.q.parameters()):
            tp.mul_(1 - self.tau)
            tp.add_(p, alpha=self.tau)


def train(env, agent, buffer, episodes=500):
    losses, returns = [], []
    for episode in range(episodes):
        obs, done, ep_return = env.reset(), False, 0.0
        while not done:
            a = agent.act(torch.as_tensor(obs, dtype=torch.float32), eps=max(0.05, 1 - episode / 200))
            next_obs, r, done, _ = env.step(a)
            buffer.add(obs, a, r, next_obs, done)
            ep_return += r
            obs = next_obs
            if len(buffer) > 1000:
                losses.append(agent.update(buffer.sample(64)))
        returns.append(ep_return)
    return losses, returns
