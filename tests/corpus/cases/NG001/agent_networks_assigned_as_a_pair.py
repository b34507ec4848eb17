# corpus: NG001
"""A DQN agent builds its online and target networks in one tuple assignment. Choosing an action
runs the online network once per environment step with gradients on and hands back an integer:
the graph of every step's forward is thrown away, in training rollouts and tests alike. The
update backpropagates through its own forward, not through this one."""
import random

import torch
from torch import nn


class QNet(nn.Module):
    def __init__(self, n_obs, n_act):
        super().__init__()
        self.fc = nn.Sequential(nn.Linear(n_obs, 64), nn.ReLU(), nn.Linear(64, n_act))

    def forward(self, x):
        return self.fc(x)


class DQN:
    def __init__(self, n_obs, n_act, eps=0.1):
        self.n_act, self.eps = n_act, eps
        self.target_net, self.online_net = QNet(n_obs, n_act), QNet(n_obs, n_act)
        self.optimizer = torch.optim.Adam(self.online_net.parameters(), lr=1e-3)

    def choose_action(self, state):
        q = self.online_net(torch.tensor(state, dtype=torch.float).unsqueeze(0))  # expect: NG001
        action = q.max(1)[1].item()
        if random.random() < self.eps:
            action = random.randrange(self.n_act)
        return action

    def learn(self, s, a, r, s2, gamma=0.99):
        with torch.no_grad():
            target = r + gamma * self.target_net(s2).max(1)[0]
        q = self.online_net(s).gather(1, a.unsqueeze(1)).squeeze(1)
        loss = nn.functional.smooth_l1_loss(q, target)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
