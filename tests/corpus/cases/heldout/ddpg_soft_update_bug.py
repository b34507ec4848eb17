# corpus: NG004, NG003
"""DDPG-style update; the Polyak helper forgot torch.no_grad (raises on the first update)."""
import torch
import torch.nn.functional as F


def soft_update(target, source, tau):
    for target_param, param in zip(target.parameters(), source.parameters()):
        target_param.copy_(target_param * (1.0 - tau) + param * tau)  # expect: NG004


def hard_update(target, source):
    for target_param, param in zip(target.parameters(), source.parameters()):
        target_param.data.copy_(param.data)


class DDPG:
    def __init__(self, actor, critic, actor_target, critic_target, gamma=0.99, tau=0.005):
        self.actor, self.critic = actor, critic
        self.actor_target, self.critic_target = actor_target, critic_target
        hard_update(self.actor_target, self.actor)
        hard_update(self.critic_target, self.critic)
        self.actor_opt = torch.optim.Adam(actor.parameters(), lr=1e-4)
        self.critic_opt = torch.optim.Adam(critic.parameters(), lr=1e-3)
        self.gamma, self.tau = gamma, tau
        self.critic_losses = []

    def update(self, state, action, reward, next_state, done):
        with torch.no_grad():
            next_action = self.actor_target(next_state)
            target_q = reward + self.gamma * (1 - done) * self.critic_target(next_state, next_action)
        critic_loss = F.mse_loss(self.critic(state, action), target_q)
        self.critic_opt.zero_grad()
        critic_loss.backward()
        self.critic_opt.step()

        actor_loss = -self.critic(state, self.actor(state)).mean()
        self.actor_opt.zero_grad()
        actor_loss.backward()
        self.actor_opt.step()

        self.critic_losses.append(critic_loss.item())
        soft_update(self.critic_target, self.critic, self.tau)
        soft_update(self.actor_target, self.actor, self.tau)
