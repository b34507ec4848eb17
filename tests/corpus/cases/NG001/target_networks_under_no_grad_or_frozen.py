# corpus: NG001
"""Clean: a DQN agent computes its bootstrap target under `no_grad`; a second agent freezes its
target network's parameters at construction, so its forward records no graph; a third keeps a
frozen teacher it hands to a helper of another module; and a distillation step's teacher output
feeds the student's loss through a graph that trains the student's projection."""
import copy

import torch
import torch.nn.functional as F
from torch import optim

from .nets import QNet, Projector, freeze


class DQNAgent:
    def __init__(self, obs_dim, n_actions):
        self.q = QNet(obs_dim, n_actions)
        self.target = QNet(obs_dim, n_actions)
        self.opt = optim.Adam(self.q.parameters(), lr=1e-3)

    def learn(self, s, a, r, s2, done, gamma=0.99):
        with torch.no_grad():
            y = r + gamma * (1 - done) * self.target(s2).max(1).values
        loss = F.smooth_l1_loss(self.q(s).gather(1, a[:, None]).squeeze(1), y)
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()


class FrozenTargetAgent:
    def __init__(self, obs_dim, n_actions):
        self.q = QNet(obs_dim, n_actions)
        self.target = copy.deepcopy(self.q)
        self.target.requires_grad_(False)
        self.opt = optim.Adam(self.q.parameters(), lr=1e-3)

    def learn(self, s, a, r, s2):
        y = r + 0.99 * self.target(s2).max(1).values
        loss = F.mse_loss(self.q(s).gather(1, a[:, None]).squeeze(1), y)
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()


class Distiller:
    def __init__(self, student, teacher_cls, dim):
        self.student = student
        self.teacher = teacher_cls(dim)
        self.projector = Projector(dim)
        freeze(self.teacher)
        self.opt = optim.SGD(list(self.student.parameters()) + list(self.projector.parameters()), lr=0.1)

    def step(self, x):
        loss = F.mse_loss(self.projector(self.student(x)), self.teacher(x))
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
