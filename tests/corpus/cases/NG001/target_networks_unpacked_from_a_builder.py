# corpus: NG001
"""A DDPG agent gets its local and target networks from a builder that returns an (actor, critic)
pair, whose classes live in a module the linter is not shown. Only the local networks' parameters
go to the optimizers, so the targets, which come from the same elements of the same builder, are
networks of the same classes that nothing trains. The learning step runs both targets with grad on
and feeds their output into the critic loss undetached: every backward pass also fills the target
weights' `.grad`, and nothing ever clears it. The second agent builds its two pairs from different
builders: which classes its targets are, and whether something trains them, is not known."""
import torch
import torch.nn.functional as F

from nets import Actor, Critic, make_pair, make_other_pair

GAMMA = 0.99


def build_networks(obs_dim, act_dim):
    actor = Actor(obs_dim, act_dim)
    critic = Critic(obs_dim, act_dim)
    return actor, critic


class Agent:
    def __init__(self, obs_dim, act_dim):
        self.actor_local, self.critic_local = build_networks(obs_dim, act_dim)
        self.actor_target, self.critic_target = build_networks(obs_dim, act_dim)
        self.actor_opt = torch.optim.Adam(self.actor_local.parameters(), lr=1e-4)
        self.critic_opt = torch.optim.Adam(self.critic_local.parameters(), lr=1e-3)

    def learn(self, states, actions, rewards, next_states, dones):
        next_actions = self.actor_target(next_states)  # expect: NG001
        q_next = self.critic_target(next_states, next_actions)  # expect: NG001
        q_targets = rewards + GAMMA * q_next * (1 - dones)
        critic_loss = F.mse_loss(self.critic_local(states, actions), q_targets)
        self.critic_opt.zero_grad()
        critic_loss.backward()
        self.critic_opt.step()
        actor_loss = -self.critic_local(states, self.actor_local(states)).mean()
        self.actor_opt.zero_grad()
        actor_loss.backward()
        self.actor_opt.step()


class MixedAgent:
    def __init__(self, obs_dim, act_dim):
        self.actor_local, self.critic_local = make_pair(obs_dim, act_dim)
        self.actor_target, self.critic_target = make_other_pair(obs_dim, act_dim)
        self.actor_opt = torch.optim.Adam(self.actor_local.parameters(), lr=1e-4)
        self.critic_opt = torch.optim.Adam(self.critic_local.parameters(), lr=1e-3)

    def learn(self, states, actions, rewards, next_states, dones):
        next_actions = self.actor_target(next_states)
        q_next = self.critic_target(next_states, next_actions)
        q_targets = rewards + GAMMA * q_next * (1 - dones)
        critic_loss = F.mse_loss(self.critic_local(states, actions), q_targets)
        self.critic_opt.zero_grad()
        critic_loss.backward()
        self.critic_opt.step()
