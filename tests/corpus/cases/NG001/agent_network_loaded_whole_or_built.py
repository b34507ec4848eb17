# corpus: NG001
"""A DQN agent that either loads its pickled critic whole or builds it: either way the attribute
holds a network, so acting with it records a graph per step that only an action index reads, and
the double-DQN action choice runs the online critic again just to detach it. The policy-gradient
agent beside it keeps the sampled action's log-probability for its update: that forward is needed."""
import numpy as np
import torch
import torch.nn as nn
from torch.distributions import Categorical


class Critic(nn.Module):
    def __init__(self, n_states, n_actions):
        super().__init__()
        self.fc = nn.Linear(n_states, n_actions)

    def forward(self, s):
        return self.fc(s)


class DQN:
    def __init__(self, n_states, n_actions, critic_path=None):
        if critic_path is not None:
            self.critic = torch.load(critic_path)
        else:
            self.critic = Critic(n_states, n_actions)
        self.critic_target = Critic(n_states, n_actions)
        self.optimizer = torch.optim.Adam(self.critic.parameters(), lr=1e-3)
        self.loss_func = nn.MSELoss()
        self.gamma = 0.99

    def select_action(self, s):
        s = torch.unsqueeze(torch.FloatTensor(s), 0)
        actions_value = self.critic(s)  # expect: NG001
        return torch.max(actions_value, 1)[1].data.cpu().numpy()[0]

    def learn(self, b_s, b_a, b_r, b_s_):
        q_eval = self.critic(b_s).gather(1, b_a)
        a_next = self.critic(b_s_).detach().argmax(1, keepdim=True)  # expect: NG001
        q_next = self.critic_target(b_s_).detach().gather(1, a_next)  # expect: NG001
        loss = self.loss_func(q_eval, b_r + self.gamma * q_next)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()


class PolicyGradient:
    def __init__(self, n_states, n_actions, policy_path=None):
        self.policy = torch.load(policy_path) if policy_path else Critic(n_states, n_actions)
        self.optimizer = torch.optim.Adam(self.policy.parameters(), lr=1e-3)
        self.log_probs = []

    def select_action(self, s):
        probs = torch.softmax(self.policy(torch.FloatTensor(s)), -1)
        dist = Categorical(probs)
        action = dist.sample()
        self.log_probs.append(dist.log_prob(action))
        return action.item()

    def finish_episode(self, returns):
        loss = -(torch.stack(self.log_probs) * torch.as_tensor(np.asarray(returns))).sum()
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        self.log_probs = []
