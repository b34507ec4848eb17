# corpus: NG001
"""An agent library validates the network it is given (`if not isinstance(network, nn.Module):
raise TypeError(...)`) before storing it, trains it in `learn`, and runs it with gradients on to
pick each action, keeping only an index. The check is a fact: whatever class the caller passes,
the stored value is a module. An agent that stores whatever it is given unchecked says nothing
about it."""
import torch
from torch import nn


class Agent:
    def __init__(self, network, lr=1e-3):
        if not isinstance(network, nn.Module):
            raise TypeError(f"network must be an nn.Module, not {type(network)}")
        self.network = network
        self.optimizer = torch.optim.SGD(self.network.parameters(), lr=lr)

    def act(self, observation):
        scores = self.network(torch.as_tensor(observation, dtype=torch.float32)[None])  # expect: NG001
        return int(scores.argmax().item())

    def learn(self, states, targets):
        loss = ((self.network(states) - targets) ** 2).mean()
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()


class Scorer:
    def __init__(self, scorer):
        self.scorer = scorer

    def best(self, candidates):
        return max(range(len(candidates)), key=lambda i: float(self.scorer(candidates[i])))
