"""Double DQN on a Gym environment, with a soft-updated target network and a replay buffer.

Usage: python examples/dqn_agent.py --env CartPole-v1 --steps 50000

This script has grad-mode bugs that nogradlint finds; each is marked with a `# BUG NGxxx` comment.
"""

from __future__ import annotations

import argparse
import copy
import random
from collections import deque

import gymnasium as gym
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class QNetwork(nn.Module):
    def __init__(self, obs_dim: int, n_actions: int, hidden: int = 128) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(obs_dim, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                                 nn.Linear(hidden, n_actions))

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        return self.net(obs)


class ReplayBuffer:
    def __init__(self, capacity: int) -> None:
        self.items: deque = deque(maxlen=capacity)

    def push(self, *transition) -> None:
        self.items.append(transition)

    def sample(self, n: int):
        batch = random.sample(self.items, n)
        obs, act, rew, nxt, done = map(np.array, zip(*batch))
        return (torch.as_tensor(obs, dtype=torch.float32), torch.as_tensor(act), torch.as_tensor(rew, dtype=torch.float32),
                torch.as_tensor(nxt, dtype=torch.float32), torch.as_tensor(done, dtype=torch.float32))

    def __len__(self) -> int:
        return len(self.items)


class Agent:
    def __init__(self, obs_dim: int, n_actions: int, lr: float = 1e-3, gamma: float = 0.99, tau: float = 0.005):
        self.online = QNetwork(obs_dim, n_actions)
        self.target = copy.deepcopy(self.online)
        self.target.requires_grad_(False)
        self.optimizer = torch.optim.Adam(self.online.parameters(), lr=lr)
        self.gamma, self.tau, self.n_actions = gamma, tau, n_actions
        self.loss_history = []

    @torch.no_grad()
    def act(self, obs: np.ndarray, epsilon: float) -> int:
        if random.random() < epsilon:
            return random.randrange(self.n_actions)
        return int(self.online(torch.as_tensor(obs, dtype=torch.float32)).argmax())

    def learn(self, batch) -> float:
        obs, act, rew, nxt, done = batch
        q = self.online(obs).gather(1, act.long().unsqueeze(1)).squeeze(1)
        with torch.no_grad():  # the target network is evaluated without a graph (correct)
            best = self.online(nxt).argmax(1, keepdim=True)
            target = rew + self.gamma * (1 - done) * self.target(nxt).gather(1, best).squeeze(1)
        loss = F.smooth_l1_loss(q, target)
        self.optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(self.online.parameters(), 10.0)
        self.optimizer.step()
        self.soft_update()
        return loss.item()

    @torch.no_grad()
    def soft_update(self) -> None:
        # Polyak averaging of the target network, under no_grad (correct).
        for tp, p in zip(self.target.parameters(), self.online.parameters()):
            tp.mul_(1 - self.tau).add_(p, alpha=self.tau)

    def reset_head(self, std: float = 0.01) -> None:
        """Shrink the last layer's weights (a trick against overestimation after a reset)."""
        head = self.online.net[-1]
        for p in head.parameters():
            p.mul_(std)  # BUG NG004: in-place update of a parameter that requires grad, outside no_grad


def train(env_name: str, steps: int, batch_size: int = 64, warmup: int = 1000) -> None:
    env = gym.make(env_name)
    agent = Agent(env.observation_space.shape[0], env.action_space.n)
    buffer = ReplayBuffer(100_000)
    obs, _ = env.reset(seed=0)
    episode_return, returns = 0.0, []
    td_errors = []
    for step in range(steps):
        epsilon = max(0.05, 1.0 - step / (0.1 * steps))
        action = agent.act(obs, epsilon)
        nxt, reward, terminated, truncated, _ = env.step(action)
        buffer.push(obs, action, reward, nxt, float(terminated))
        obs = nxt
        episode_return += reward
        if terminated or truncated:
            returns.append(episode_return)
            obs, episode_return = env.reset()[0], 0.0
        if len(buffer) >= warmup:
            batch = buffer.sample(batch_size)
            agent.learn(batch)
            # A diagnostic: the TD error of the online network on the same batch.
            o, a, r, n, d = batch
            q = agent.online(o).gather(1, a.long().unsqueeze(1)).squeeze(1)
            q_next = agent.target(n).max(1).values
            td = (r + agent.gamma * (1 - d) * q_next - q).abs().mean()
            td.backward()  # keep the gradient norm of the TD error for the log
            td_errors.append(td)  # BUG NG003: every step's TD graph is kept alive by the list
            agent.optimizer.zero_grad()
        if step % 5000 == 0 and returns:
            print(f"step {step}: mean return {np.mean(returns[-20:]):.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--env", default="CartPole-v1")
    parser.add_argument("--steps", type=int, default=50_000)
    args = parser.parse_args()
    train(args.env, args.steps)
