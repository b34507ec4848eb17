# corpus: NG001
"""A deterministic policy-gradient agent whose target networks are synced by helpers star-imported
from another file of the project, and whose batch arrays become tensors through one of them. The
critic's update runs both target networks with gradients on: no optimizer trains them, the
inputs are data, so the backward pass walks into weights nothing updates."""
import torch
from torch import nn

from helpers import *


class Actor(nn.Module):
    def __init__(self, states, actions):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(states, 64), nn.ReLU(), nn.Linear(64, actions), nn.Tanh())

    def forward(self, state):
        return self.body(state)


class Critic(nn.Module):
    def __init__(self, states, actions):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(states + actions, 64), nn.ReLU(), nn.Linear(64, 1))

    def forward(self, pair):
        state, action = pair
        return self.body(torch.cat([state, action], 1))


class Agent:
    def __init__(self, states, actions):
        self.actor = Actor(states, actions)
        self.actor_target = Actor(states, actions)
        self.critic = Critic(states, actions)
        self.critic_target = Critic(states, actions)
        self.actor_optim = torch.optim.Adam(self.actor.parameters(), lr=1e-4)
        self.critic_optim = torch.optim.Adam(self.critic.parameters(), lr=1e-3)
        copy_weights(self.actor_target, self.actor)
        copy_weights(self.critic_target, self.critic)

    def update(self, states, actions, rewards, next_states, done):
        next_q = self.critic_target([  # expect: NG001
            to_tensor(next_states),
            self.actor_target(to_tensor(next_states)),  # expect: NG001
        ])
        target = to_tensor(rewards) + 0.99 * (1 - to_tensor(done)) * next_q
        q = self.critic([to_tensor(states), to_tensor(actions)])
        critic_loss = nn.functional.mse_loss(q, target)
        self.critic_optim.zero_grad()
        critic_loss.backward()
        self.critic_optim.step()

        actor_loss = -self.critic([to_tensor(states), self.actor(to_tensor(states))]).mean()
        self.actor_optim.zero_grad()
        actor_loss.backward()
        self.actor_optim.step()

        blend_weights(self.actor_target, self.actor, 0.005)
        blend_weights(self.critic_target, self.critic, 0.005)
