# corpus: NG010
"""Soft actor-critic: the two critics' parameters are chained into one iterator, which the critic
optimizer reads when it is built. The update step, a closure, later loops over the same iterator
to freeze the critics during the policy step: the iterator is already spent, so both loops run
zero times and the policy's backward also fills the critics' gradients. The second function binds
a list and freezes for real."""
import itertools

import torch


def make_update(actor, critic_1, critic_2, lr=3e-4):
    critic_weights = itertools.chain(critic_1.parameters(), critic_2.parameters())
    critic_optimizer = torch.optim.Adam(critic_weights, lr=lr)
    actor_optimizer = torch.optim.Adam(actor.parameters(), lr=lr)

    def update(states, targets):
        critic_optimizer.zero_grad()
        ((critic_1(states) - targets) ** 2).mean().backward()
        critic_optimizer.step()
        for weight in critic_weights:  # expect: NG010
            weight.requires_grad = False
        actor_optimizer.zero_grad()
        (-critic_1(actor(states))).mean().backward()
        actor_optimizer.step()
        for weight in critic_weights:  # expect: NG010
            weight.requires_grad = True

    return update


def make_update_listed(actor, critic_1, critic_2, lr=3e-4):
    critic_weights = list(itertools.chain(critic_1.parameters(), critic_2.parameters()))
    critic_optimizer = torch.optim.Adam(critic_weights, lr=lr)
    actor_optimizer = torch.optim.Adam(actor.parameters(), lr=lr)

    def update(states, targets):
        critic_optimizer.zero_grad()
        ((critic_1(states) - targets) ** 2).mean().backward()
        critic_optimizer.step()
        for weight in critic_weights:
            weight.requires_grad = False
        actor_optimizer.zero_grad()
        (-critic_1(actor(states))).mean().backward()
        actor_optimizer.step()
        for weight in critic_weights:
            weight.requires_grad = True

    return update
