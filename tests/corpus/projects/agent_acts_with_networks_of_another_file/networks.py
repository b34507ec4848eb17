# corpus: NG001
"""The actor and critic of a DDPG agent, and a replay-free noise process that is no network."""
import numpy as np
import torch
import torch.nn as nn


class Actor(nn.Module):
    def __init__(self, state_dim, action_dim):
        super().__init__()
        self.fc = nn.Linear(state_dim, action_dim)

    def forward(self, state):
        return torch.tanh(self.fc(state))


class Critic(nn.Module):
    def __init__(self, state_dim, action_dim):
        super().__init__()
        self.fc = nn.Linear(state_dim + action_dim, 1)

    def forward(self, state, action):
        return self.fc(torch.cat([state, action], 1))


class OrnsteinUhlenbeck:
    def __init__(self, action_dim, theta=0.15, sigma=0.2):
        self.x = np.zeros(action_dim)
        self.theta, self.sigma = theta, sigma

    def __call__(self, scale):
        self.x += -self.theta * self.x + self.sigma * np.random.randn(*self.x.shape)
        return scale * self.x
