# corpus: NG001
# An agent (a plain class) that only plays: its policy network, a module of layers in a
# Sequential, is loaded from a checkpoint. Each step of the episode runs it with grad on through
# `act`; only the chosen action leaves the loop (and `act`, which hands back only an integer, is
# reported itself).
import torch
from torch import nn


class PolicyNet(nn.Module):
    def __init__(self, n_obs, n_act):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(n_obs, 128), nn.ReLU(), nn.Linear(128, n_act))

    def forward(self, x):
        return self.body(x)


class Player:
    def __init__(self, env, checkpoint):
        self.env = env
        self.pi = PolicyNet(env.observation_space.shape[0], env.action_space.n)
        self.pi.load_state_dict(torch.load(checkpoint))

    def act(self, obs):
        return self.pi(torch.as_tensor(obs, dtype=torch.float32)).argmax().item()  # expect: NG001

    def evaluate(self, episodes=10):
        returns = []
        for _ in range(episodes):
            obs, done, total = self.env.reset(), False, 0.0
            while not done:  # expect: NG001
                obs, reward, done, _ = self.env.step(self.act(obs))
                total += reward
            returns.append(total)
        return returns
