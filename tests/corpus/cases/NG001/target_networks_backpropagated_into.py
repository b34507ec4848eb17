# corpus: NG001
"""A DDPG agent's update computes the critic's target from the target actor and target critic
with gradients on and without detaching it: no optimizer of the agent takes the target networks'
parameters and their inputs are replayed states, so the critic's backward pass also computes
gradients for every target weight, which nothing updates. The actor's loss runs the local critic
on the local actor's actions: that graph trains the actor and is fine."""
import copy

import torch
import torch.nn.functional as F
from torch import optim

from .networks import Actor, Critic


class DDPGAgent:
    def __init__(self, state_dim, action_dim, gamma=0.99, tau=0.005):
        self.actor = Actor(state_dim, action_dim)
        self.actor_target = Actor(state_dim, action_dim)
        self.critic = Critic(state_dim, action_dim)
        self.critic_target = copy.deepcopy(self.critic)
        self.actor_opt = optim.Adam(self.actor.parameters(), lr=1e-4)
        self.critic_opt = optim.Adam(self.critic.parameters(), lr=1e-3)
        self.gamma, self.tau = gamma, tau

    def update(self, states, actions, rewards, next_states, dones):
        next_actions = self.actor_target(next_states)  # expect: NG001
        target_q = self.critic_target(next_states, next_actions)  # expect: NG001
        y = rewards + self.gamma * (1 - dones) * target_q
        critic_loss = F.mse_loss(self.critic(states, actions), y)
        self.critic_opt.zero_grad()
        critic_loss.backward()
        self.critic_opt.step()
        actor_loss = -self.critic(states, self.actor(states)).mean()
        self.actor_opt.zero_grad()
        actor_loss.backward()
        self.actor_opt.step()
        self.soft_update(self.actor, self.actor_target)
        self.soft_update(self.critic, self.critic_target)

    def soft_update(self, source, target):
        with torch.no_grad():
            for s, t in zip(source.parameters(), target.parameters()):
                t.mul_(1 - self.tau).add_(self.tau * s)
