# corpus: NG002
"""Actor-critic agent: the update is a method called from the runner."""
import torch


class A2C:
    def __init__(self, policy, value, lr=7e-4):
        self.policy = policy
        self.value = value
        self.optimizer = torch.optim.RMSprop(list(policy.parameters()) + list(value.parameters()), lr=lr)

    def act(self, obs):
        with torch.no_grad():
            return self.policy(obs).sample()

    def learn(self, obs, actions, returns):
        advantage = returns - self.value(obs).squeeze(-1)
        policy_loss = -(self.policy(obs).log_prob(actions) * advantage.detach()).mean()
        loss = policy_loss + 0.5 * advantage.pow(2).mean()
        self.optimizer.zero_grad()
        loss.backward()  # expect: NG002
        self.optimizer.step()
