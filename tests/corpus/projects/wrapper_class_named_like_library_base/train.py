# corpus: NG003
"""The training script wraps a gym environment in its own class, also named `Env`: gym's `Env` in
the other file is not this class, so `Dummy.step` is no override of `Env.step`, and the rewards the
wrapper hands back are gym's numbers (it gives gym a NumPy array). The losses kept in a list are
tensors with the graph of their step."""
import gym
import torch


class Env:
    def __init__(self):
        self._env = gym.make("Pendulum-v1")

    def reset(self):
        return torch.tensor(self._env.reset()).unsqueeze(0)

    def step(self, action):
        state, reward, done, _ = self._env.step(action[0].detach().numpy())
        return torch.tensor(state).unsqueeze(0), reward, done


def train(agent, optimizer, steps):
    env = Env()
    state, total_reward, losses = env.reset(), 0.0, []
    for _ in range(steps):
        policy, value = agent(state)
        action = policy.sample()
        state, reward, done = env.step(action)
        total_reward += reward
        loss = -policy.log_prob(action).mean() * (reward - value.detach().mean())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss)  # expect: NG003
        if done:
            state, total_reward = env.reset(), 0.0
    return losses
