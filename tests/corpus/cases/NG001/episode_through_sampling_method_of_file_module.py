# corpus: NG001
"""An upside-down RL script collects episodes by calling its behaviour function's `action` method,
which runs the module's forward and hands back a sampled action: the graph of each step's forward
dies inside the method, and nothing the collection keeps (states, sampled actions, rewards) carries
it. A REINFORCE policy of the same file whose `select_action` keeps each step's log-probability in
the object, for the update after the episode, needs its rollout's gradients."""
import gym
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Categorical


class Behaviour(nn.Module):
    def __init__(self, state_size, n_actions, hidden=64):
        super().__init__()
        self.fc1 = nn.Linear(state_size + 2, hidden)
        self.fc2 = nn.Linear(hidden, n_actions)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))

    def action(self, state, desire, horizon):
        probs = torch.softmax(self.forward(torch.cat((state, desire, horizon), dim=-1)), dim=-1)
        return Categorical(probs).sample()


class Policy(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)
        self.saved_log_probs = []
        self.rewards = []

    def forward(self, x):
        return F.softmax(self.fc(x), dim=-1)

    def select_action(self, state):
        m = Categorical(self.forward(torch.from_numpy(state).float()))
        action = m.sample()
        self.saved_log_probs.append(m.log_prob(action))
        return action.item()


env = gym.make("CartPole-v1")
behaviour = Behaviour(4, 2)
optimizer = torch.optim.Adam(behaviour.parameters(), lr=1e-3)


def generate_episode(desired_return, horizon):
    state = env.reset()
    states, actions, rewards = [], [], []
    while True:  # expect: NG001
        state = torch.FloatTensor(state)
        action = behaviour.action(state, desired_return, horizon)
        next_state, reward, done, _ = env.step(action.cpu().numpy())
        states.append(state)
        actions.append(action)
        rewards.append(reward)
        state = next_state
        desired_return -= reward
        horizon = torch.FloatTensor([np.maximum(horizon - 1, 1).item()])
        if done:
            return states, actions, rewards


def reinforce(episodes=100):
    policy = Policy()
    policy_optimizer = torch.optim.Adam(policy.parameters(), lr=1e-2)
    for _ in range(episodes):
        state, done = env.reset(), False
        while not done:
            state, reward, done, _ = env.step(policy.select_action(state))
            policy.rewards.append(reward)
        loss = torch.stack([-lp * r for lp, r in zip(policy.saved_log_probs, policy.rewards)]).sum()
        policy_optimizer.zero_grad()
        loss.backward()
        policy_optimizer.step()
        policy.saved_log_probs.clear()
        policy.rewards.clear()
