# corpus: NG001
"""The agent builds its networks from the other file's classes (through the module, as
`networks.Actor(...)`). Choosing an action runs the actor with grad on and keeps only a NumPy copy:
a graph recorded at every environment step. The noise process is called the same way, but it is
no network."""
import numpy as np
import torch

import networks


class Agent:
    def __init__(self, state_dim, action_dim):
        self.actor = networks.Actor(state_dim, action_dim)
        self.critic = networks.Critic(state_dim, action_dim)
        self.noise = networks.OrnsteinUhlenbeck(action_dim)
        self.actor_opt = torch.optim.Adam(self.actor.parameters())
        self.critic_opt = torch.optim.Adam(self.critic.parameters())

    def explore(self, state):
        action = self.actor(torch.from_numpy(state)).detach()  # expect: NG001
        return action.numpy() + self.noise(1.0)

    def jitter(self, scale):
        return np.clip(self.noise(scale), -1.0, 1.0)

    def learn(self, s, a, r, s2):
        q = self.critic(s, a)
        loss = ((r - q) ** 2).mean()
        self.critic_opt.zero_grad()
        loss.backward()
        self.critic_opt.step()
        actor_loss = -self.critic(s, self.actor(s)).mean()
        self.actor_opt.zero_grad()
        actor_loss.backward()
        self.actor_opt.step()
