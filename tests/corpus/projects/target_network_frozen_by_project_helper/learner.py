# corpus: NG001
"""The target network is handed to a helper of the project that freezes its parameters, so its
forward records no graph of weights even with gradients on; the other learner hands it to a
library function the project does not show, which may do the same. Neither is reported."""
import torch
from torch import nn

import somelib
from tools import copy_weights, freeze


class QNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        return self.fc(x)


class Learner:
    def __init__(self):
        self.q = QNet()
        self.q_target = QNet()
        self.optim = torch.optim.SGD(self.q.parameters(), lr=0.01)
        copy_weights(self.q_target, self.q)
        freeze(self.q_target)

    def learn(self, s, a, r, s2):
        best_next = self.q_target(torch.as_tensor(s2)).max(1).values
        q = self.q(torch.as_tensor(s)).gather(1, torch.as_tensor(a)[:, None])[:, 0]
        loss = ((q - (torch.as_tensor(r) + 0.9 * best_next)) ** 2).mean()
        self.optim.zero_grad()
        loss.backward()
        self.optim.step()


class LibraryLearner:
    def __init__(self):
        self.q = QNet()
        self.q_target = QNet()
        self.optim = torch.optim.SGD(self.q.parameters(), lr=0.01)
        somelib.prepare_target(self.q_target, self.q)

    def learn(self, s, a, r, s2):
        best_next = self.q_target(torch.as_tensor(s2)).max(1).values
        q = self.q(torch.as_tensor(s)).gather(1, torch.as_tensor(a)[:, None])[:, 0]
        loss = ((q - (torch.as_tensor(r) + 0.9 * best_next)) ** 2).mean()
        self.optim.zero_grad()
        loss.backward()
        self.optim.step()
