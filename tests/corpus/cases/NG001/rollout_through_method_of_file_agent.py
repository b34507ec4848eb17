# corpus: NG001
"""A PPO script collects each rollout by calling its agent's `pi` method, a method of a module class
of the same file that runs the agent's layers. Only Python numbers are kept from the policy's output
(`.sample().item()`, `prob[a].item()`), so the graph each step records dies at once; the agent trains
afterwards from its buffer, recomputing the probabilities with gradients."""
import gym
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Categorical


class Agent(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.buffer = []
        self.body = nn.Linear(n_in, 64)
        self.head = nn.Linear(64, n_out)
        self.optimizer = torch.optim.Adam(self.parameters(), lr=3e-4)

    def pi(self, x, dim=0):
        return F.softmax(self.head(torch.tanh(self.body(x))), dim=dim)

    def remember(self, transition):
        self.buffer.append(transition)

    def update(self):
        s = torch.tensor([t[0] for t in self.buffer], dtype=torch.float)
        a = torch.tensor([[t[1]] for t in self.buffer])
        old = torch.tensor([[t[2]] for t in self.buffer])
        ratio = self.pi(s, dim=1).gather(1, a) / old
        loss = -torch.clamp(ratio, 0.8, 1.2).mean()
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        self.buffer = []


def main(horizon=20):
    env = gym.make("CartPole-v1")
    agent = Agent(4, 2)
    for episode in range(500):
        s = env.reset()
        done = False
        while not done:
            for t in range(horizon):  # expect: NG001
                prob = agent.pi(torch.from_numpy(s).float())
                a = Categorical(prob).sample().item()
                s_next, r, done, _ = env.step(a)
                agent.remember((s, a, prob[a].item()))
                s = s_next
                if done:
                    break
            agent.update()
