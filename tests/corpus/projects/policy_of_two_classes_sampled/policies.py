# corpus: NG001
"""Two policy classes with a `sample` method that runs the network through `self.forward`; this
file has no grad-mode code and no loop, so it is read as text."""
import torch
import torch.nn as nn


class StochasticPolicy(nn.Module):
    def __init__(self, n_obs, n_act):
        super().__init__()
        self.hidden = nn.Linear(n_obs, 64)
        self.mu = nn.Linear(64, n_act)

    def forward(self, obs):
        return self.mu(torch.relu(self.hidden(obs)))

    def sample(self, obs):
        mu = self.forward(obs)
        noise = torch.randn_like(mu)
        return torch.tanh(mu + noise), torch.tanh(mu)


class GreedyPolicy(nn.Module):
    def __init__(self, n_obs, n_act):
        super().__init__()
        self.out = nn.Linear(n_obs, n_act)

    def forward(self, obs):
        return torch.tanh(self.out(obs))

    def sample(self, obs):
        action = self(obs)
        return action, action
