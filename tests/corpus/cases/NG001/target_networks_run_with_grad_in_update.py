# corpus: NG001
"""An actor-critic agent (a plain class) computes its bootstrap target through target networks
with gradients on, and only then detaches it: the graph through both target networks is built on
every update and thrown away. The critic's own forward feeds the loss and is fine; so is the
actor's forward in the policy loss."""
import copy

import torch
from torch import nn
import torch.nn.functional as F


class Critic(nn.Module):
    def __init__(self, n_obs, n_act):
        super().__init__()
        self.q = nn.Sequential(nn.Linear(n_obs + n_act, 256), nn.ReLU(), nn.Linear(256, 1))

    def forward(self, s, a):
        return self.q(torch.cat([s, a], 1))


class Actor(nn.Module):
    def __init__(self, n_obs, n_act):
        super().__init__()
        self.pi = nn.Sequential(nn.Linear(n_obs, 256), nn.ReLU(), nn.Linear(256, n_act), nn.Tanh())

    def forward(self, s):
        return self.pi(s)


class DDPG:
    def __init__(self, n_obs, n_act, gamma=0.99):
        self.gamma = gamma
        self.actor, self.critic = Actor(n_obs, n_act), Critic(n_obs, n_act)
        self.actor_target = copy.deepcopy(self.actor)
        self.critic_target = copy.deepcopy(self.critic)
        self.actor_opt = torch.optim.Adam(self.actor.parameters(), lr=1e-4)
        self.critic_opt = torch.optim.Adam(self.critic.parameters(), lr=1e-3)

    def update(self, s, a, r, s2, done, steps=1):
        for _ in range(steps):
            next_a = self.actor_target(s2)  # expect: NG001
            target = self.critic_target(s2, next_a)  # expect: NG001
            target = r + (self.gamma * (1 - done) * target).detach()
            critic_loss = F.mse_loss(self.critic(s, a), target)
            self.critic_opt.zero_grad()
            critic_loss.backward()
            self.critic_opt.step()
            actor_loss = -self.critic(s, self.actor(s)).mean()
            self.actor_opt.zero_grad()
            actor_loss.backward()
            self.actor_opt.step()
