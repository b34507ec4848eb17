# corpus: NG001
"""An agent's `predict` runs its Q-network once per environment step and hands back a Python
int, without putting the network in eval mode: the step records a graph nobody uses. A
`predict_logits` that hands the logits back, a `select_action` that keeps the log-probability
for a policy-gradient update, and a shape check on a made-up input are not judged."""
import torch
from torch import nn


class Agent:
    def __init__(self, obs_dim, n_actions):
        self.q_net = nn.Linear(obs_dim, n_actions)
        self.policy = nn.Linear(obs_dim, n_actions)
        self.log_probs = []

    def predict(self, obs):
        values = self.q_net(obs)  # expect: NG001
        return int(values.argmax())

    def predict_best(self, obs, legal):
        # A loop that builds the candidates runs no model: the forward after it is the one.
        candidates = []
        for i in range(len(legal)):
            candidates.append(obs * legal[i])
        values = self.q_net(torch.stack(candidates))  # expect: NG001
        return int(values.max(-1).values.argmax())

    def test_output_width(self, obs_dim):
        # A shape check on a made-up input: nothing worth a no_grad.
        return self.q_net(torch.zeros(1, obs_dim)).shape[-1]

    def predict_logits(self, obs):
        return self.q_net(obs)

    def select_action(self, obs):
        dist = torch.distributions.Categorical(logits=self.policy(obs))
        action = dist.sample()
        self.log_probs.append(dist.log_prob(action))
        return action.item()

    def update(self, returns, optimizer):
        loss = -(torch.stack(self.log_probs) * returns).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
