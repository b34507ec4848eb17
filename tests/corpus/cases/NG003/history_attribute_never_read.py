# corpus: NG003
"""An agent's TD-loss method appends each loss, with its graph, to a list on the agent that
nothing reads: every update step keeps its graph alive with the agent. A policy-gradient agent
that stacks its saved log-probabilities into the loss it backpropagates keeps them on purpose."""
import torch


class DQN:
    def __init__(self, model, target, buffer):
        self.model, self.target, self.buffer = model, target, buffer
        self.optimizer = torch.optim.Adam(model.parameters())
        self.loss_hist = []

    def td_loss(self):
        state, action, reward, next_state = self.buffer.sample()
        q = self.model(state).gather(1, action.unsqueeze(1)).squeeze(1)
        target = reward + 0.99 * self.target(next_state).max(1)[0]
        loss = (q - target.detach()).pow(2).mean()
        self.loss_hist.append(loss)  # expect: NG003
        return loss

    def update(self):
        loss = self.td_loss()
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()


class Reinforce:
    def __init__(self, policy):
        self.policy = policy
        self.optimizer = torch.optim.Adam(policy.parameters())
        self.log_probs = []

    def act(self, state):
        dist = torch.distributions.Categorical(logits=self.policy(state))
        action = dist.sample()
        self.log_probs.append(dist.log_prob(action))
        return action.item()

    def finish_episode(self, returns):
        loss = -(torch.stack(self.log_probs) * returns).sum()
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        self.log_probs = []
