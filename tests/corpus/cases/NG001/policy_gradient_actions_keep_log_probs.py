# corpus: NG001
"""Policy-gradient agents whose action methods run the policy with gradients on on purpose: each
keeps the log-probability of the sampled action (on the object, on the policy, in a memory the
caller passes, through a helper method, or by returning it), and the update backpropagates
through them. None of these forwards is wasted."""
import torch
from torch import nn
from torch.distributions import Categorical


class Policy(nn.Module):
    def __init__(self, n_obs=4, n_act=2):
        super().__init__()
        self.head = nn.Linear(n_obs, n_act)
        self.saved_log_probs = []

    def forward(self, x):
        return self.head(x).softmax(-1)


class Reinforce:
    def __init__(self):
        self.policy = Policy()
        self.opt = torch.optim.Adam(self.policy.parameters(), lr=1e-2)
        self.log_probs = []

    def act_and_remember(self, obs):
        dist = Categorical(self.policy(torch.as_tensor(obs)))
        action = dist.sample()
        self.log_probs.append(dist.log_prob(action))
        return action.item()

    def act_on_policy(self, obs):
        dist = Categorical(self.policy(torch.as_tensor(obs)))
        action = dist.sample()
        self.policy.saved_log_probs.append(dist.log_prob(action))
        return action.item()

    def act_into(self, obs, memory):
        dist = Categorical(self.policy(torch.as_tensor(obs)))
        action = dist.sample()
        memory.log_probs.append(dist.log_prob(action))
        return action.item()

    def act_through_helper(self, obs):
        dist = Categorical(self.policy(torch.as_tensor(obs)))
        action = dist.sample()
        self._keep(dist.log_prob(action))
        return action.item()

    def _keep(self, log_prob):
        self.log_probs.append(log_prob)

    def act_returning(self, obs):
        dist = Categorical(self.policy(torch.as_tensor(obs)))
        action = dist.sample()
        return action.item(), dist.log_prob(action)

    def finish_episode(self, returns):
        loss = -(torch.stack(self.log_probs) * torch.as_tensor(returns)).sum()
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        self.log_probs.clear()
