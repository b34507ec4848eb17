# corpus: NG001
"""A REINFORCE script runs its policy's `pi` method at every step of an episode and hands the
chosen action's probability, graph and all, to the policy's buffer: the policy's training method
backpropagates through those probabilities after the episode, so the rollout needs gradients."""
import gym
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Categorical


class Policy(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.data = []
        self.fc1 = nn.Linear(n_in, 128)
        self.fc2 = nn.Linear(128, n_out)
        self.optimizer = torch.optim.Adam(self.parameters(), lr=2e-3)

    def pi(self, x):
        return F.softmax(self.fc2(F.relu(self.fc1(x))), dim=-1)

    def put_data(self, item):
        self.data.append(item)

    def train_net(self, gamma=0.98):
        ret = 0.0
        self.optimizer.zero_grad()
        for r, prob in self.data[::-1]:
            ret = r + gamma * ret
            (-torch.log(prob) * ret).backward()
        self.optimizer.step()
        self.data = []


def main():
    env = gym.make("CartPole-v1")
    policy = Policy(4, 2)
    for episode in range(1000):
        s = env.reset()
        done = False
        while not done:
            prob = policy.pi(torch.from_numpy(s).float())
            a = Categorical(prob).sample()
            s, r, done, _ = env.step(a.item())
            policy.put_data((r, prob[a]))
        policy.train_net()
