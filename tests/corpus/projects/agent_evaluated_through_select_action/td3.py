# corpus: NG001
"""A TD3 agent: the actor is built and moved to the device in `__init__`; `select_action` runs it
and keeps only a numpy array: every call, in training rollouts too, records a graph for nothing."""
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


class Actor(nn.Module):
    def __init__(self, state_dim, action_dim, max_action):
        super().__init__()
        self.l1 = nn.Linear(state_dim, 256)
        self.l2 = nn.Linear(256, action_dim)
        self.max_action = max_action

    def forward(self, state):
        return self.max_action * torch.tanh(self.l2(F.relu(self.l1(state))))


class TD3:
    def __init__(self, state_dim, action_dim, max_action):
        self.actor = Actor(state_dim, action_dim, max_action).to(device)
        self.actor_target = copy.deepcopy(self.actor)
        self.actor_optimizer = torch.optim.Adam(self.actor.parameters(), lr=3e-4)

    def select_action(self, state):
        state = torch.FloatTensor(state.reshape(1, -1)).to(device)
        return self.actor(state).cpu().data.numpy().flatten()  # expect: NG001

    def train(self, batch):
        state, target = batch
        loss = F.mse_loss(self.actor(state), target)
        self.actor_optimizer.zero_grad()
        loss.backward()
        self.actor_optimizer.step()
