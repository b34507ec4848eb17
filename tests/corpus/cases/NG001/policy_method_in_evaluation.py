# corpus: NG001
"""An actor-critic whose heads are methods (`pi`, `v`), not `forward`. The evaluation episode
calls `model.pi(...)` on a model passed in, whose class the function does not name: every `pi`
of the project runs the network, so the loop runs it with gradients on for nothing. The agent's
`act` keeps its own forward under `no_grad`, so the rollout that calls it needs nothing."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Categorical


class ActorCritic(nn.Module):
    def __init__(self, n_obs=4, n_act=2):
        super().__init__()
        self.body = nn.Linear(n_obs, 128)
        self.policy_head = nn.Linear(128, n_act)
        self.value_head = nn.Linear(128, 1)

    def pi(self, x, dim=1):
        return F.softmax(self.policy_head(F.relu(self.body(x))), dim=dim)

    def v(self, x):
        return self.value_head(F.relu(self.body(x)))


class Agent:
    def __init__(self, net):
        self.net = net

    def act(self, obs):
        with torch.no_grad():
            return Categorical(self.net.pi(obs, dim=0)).sample().item()


def evaluate_policy(model, env, episodes=5):
    total = 0.0
    for _ in range(episodes):
        obs, done = env.reset(), False
        while not done:  # expect: NG001
            prob = model.pi(torch.as_tensor(obs, dtype=torch.float32), dim=0)
            obs, reward, done, _ = env.step(Categorical(prob).sample().item())
            total += reward
    return total / episodes


def rollout(agent, env, steps):
    obs, rewards = env.reset(), []
    for _ in range(steps):
        obs, reward, done, _ = env.step(agent.act(torch.as_tensor(obs, dtype=torch.float32)))
        rewards.append(reward)
        if done:
            obs = env.reset()
    return rewards
