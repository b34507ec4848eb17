# corpus: NG001
"""A PPO agent of a plain class builds its Beta-policy network and unpacks the distribution's
parameters from an indexed forward, first into one name and then into two (`params =
self.net(s)[0]; alpha, beta = params`), and backpropagates the clipped surrogate through them: the
forward feeds the update's backward pass. A second agent is given its network and unpacks the pair
at once."""
import torch
import torch.nn as nn
from torch.distributions import Beta


class PolicyNet(nn.Module):
    def __init__(self, n_in=8, n_actions=3):
        super().__init__()
        self.body = nn.Linear(n_in, 64)
        self.alpha = nn.Linear(64, n_actions)
        self.beta = nn.Linear(64, n_actions)
        self.value = nn.Linear(64, 1)

    def forward(self, x):
        h = torch.relu(self.body(x))
        return (nn.functional.softplus(self.alpha(h)) + 1, nn.functional.softplus(self.beta(h)) + 1), self.value(h)


class Agent:
    def __init__(self, clip=0.1):
        self.net = PolicyNet()
        self.optimizer = torch.optim.Adam(self.net.parameters(), lr=1e-3)
        self.clip = clip

    def update(self, s, a, old_log_prob, adv):
        params = self.net(s)[0]
        alpha, beta = params
        log_prob = Beta(alpha, beta).log_prob(a).sum(dim=1, keepdim=True)
        ratio = torch.exp(log_prob - old_log_prob)
        loss = -torch.min(ratio * adv, torch.clamp(ratio, 1 - self.clip, 1 + self.clip) * adv).mean()
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()


class GivenAgent:
    def __init__(self, net, optimizer):
        self.net, self.optimizer = net, optimizer

    def update(self, s, a, adv):
        alpha, beta = self.net(s)[0]
        loss = -(Beta(alpha, beta).log_prob(a) * adv).mean()
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
