# corpus: NG001
"""Test episodes act greedily with gradients on: each step records the policy's graph through
`Agent.act` -> `pi.sample` -> `forward`, whichever class the agent built, and keeps only an array.
The training episodes hand their observations to `learn`, which backpropagates."""
import torch


def test_episodes(agent, env, episodes=5):
    returns = []
    for _ in range(episodes):
        obs, done, ret = env.reset(), False, 0.0
        while not done:  # expect: NG001
            obs, reward, done = env.step(agent.act(obs, greedy=True))
            ret += reward
        returns.append(ret)
    return sum(returns) / episodes


def train_episodes(agent, env, episodes=5):
    for _ in range(episodes):
        obs, done = env.reset(), False
        while not done:
            obs, reward, done = env.step(agent.act(obs))
            agent.learn(obs, reward)
