# corpus: NG001
"""An agent takes its Q-network from the caller or builds a default one (`network if network is not
None else QNet(...)`), trains it in `learn`, and picks each action with a forward whose graph it
drops at once (an argmax turned into a Python int). The object is an agent whose stored network,
whatever the caller passes, is the same kind of value as the default it builds."""
import torch
from torch import nn


class QNet(nn.Module):
    def __init__(self, n_obs, n_actions):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(n_obs, 64), nn.ReLU(), nn.Linear(64, n_actions))

    def forward(self, x):
        return self.body(x)


class Agent:
    def __init__(self, n_obs, n_actions, network=None):
        self.network = network if network is not None else QNet(n_obs, n_actions)
        self.optimizer = torch.optim.Adam(self.network.parameters(), lr=1e-3)

    def act(self, observation):
        q_values = self.network(torch.as_tensor(observation, dtype=torch.float32)[None])  # expect: NG001
        return int(q_values.argmax(1).item())

    def learn(self, states, targets):
        loss = ((self.network(states) - targets) ** 2).mean()
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()


class Planner:
    """Not reported: a planner whose `scorer` is whatever the caller passes, or a plain function."""

    def __init__(self, scorer=None):
        self.scorer = scorer if scorer is not None else (lambda s: s.sum())

    def best(self, candidates):
        return max(candidates, key=lambda c: float(self.scorer(c)))
