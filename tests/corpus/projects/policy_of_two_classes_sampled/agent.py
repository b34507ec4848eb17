# corpus: NG001
"""The agent picks one of two policy classes by its configuration; `act` samples from whichever it
built and hands back a numpy array. `learn` trains the policy."""
import torch

from policies import GreedyPolicy, StochasticPolicy


class Agent:
    def __init__(self, n_obs, n_act, stochastic=True):
        if stochastic:
            self.pi = StochasticPolicy(n_obs, n_act)
        else:
            self.pi = GreedyPolicy(n_obs, n_act)
        self.opt = torch.optim.SGD(self.pi.parameters(), lr=0.01)

    def act(self, obs, greedy=False):
        obs = torch.as_tensor(obs, dtype=torch.float32).unsqueeze(0)
        sampled, mean = self.pi.sample(obs)
        chosen = mean if greedy else sampled
        return chosen.detach().numpy()[0]

    def learn(self, obs, advantage):
        sampled, _ = self.pi.sample(torch.as_tensor(obs, dtype=torch.float32))
        loss = -(sampled.sum(1) * advantage).mean()
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
