# corpus: NG001
# A DQN agent that is a plain class: its Q-network is a part built in `__init__` and handed to
# the optimizer. The test episode picks each action through `choose`, which runs the network
# with grad on; only the argmax goes to the environment. `choose` itself is reported too: it also
# runs per step of the training rollouts, where nothing disables gradients either.
import numpy as np
import torch
from torch import nn


class QNet(nn.Module):
    def __init__(self, n_obs, n_act):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(n_obs, 64), nn.ReLU(), nn.Linear(64, n_act))

    def forward(self, x):
        return self.layers(x)


class Agent:
    def __init__(self, env, eps=0.1):
        self.env = env
        self.eps = eps
        self.q = QNet(env.observation_space.shape[0], env.action_space.n)
        self.opt = torch.optim.Adam(self.q.parameters(), lr=1e-3)

    def choose(self, obs):
        if np.random.random() < self.eps:
            return self.env.action_space.sample()
        return self.q(torch.as_tensor(obs, dtype=torch.float32)).argmax().item()  # expect: NG001

    def learn(self, obs, act, target):
        value = self.q(torch.as_tensor(obs, dtype=torch.float32))[act]
        loss = (value - target) ** 2
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()

    def test(self):
        obs, done, score = self.env.reset(), False, 0.0
        while not done:  # expect: NG001
            obs, reward, done, _ = self.env.step(self.choose(obs))
            score += reward
        return score
