# corpus: NG001
"""A world-model agent learns its policy by backpropagating through imagined rollouts: the policy
acts in a loop, the dynamics model rolls the latent state forward, and the loss built from the
rollout goes to `apply_update` in another module. The loop's graph is what trains the policy; the
function keeps only the gradient norm. `rollout_returns` runs the same loop only to report the
mean return, and nothing it computes reaches a backward pass or its caller."""
import torch

from dreamkit.optim import apply_update


def learn_behaviour(accelerator, policy, dynamics, value_net, optimizer, start, horizon, log):
    state = start.detach()
    states = []
    for _ in range(horizon):
        action = torch.tanh(policy(state.detach()))
        state = dynamics(state, action)
        states.append(state)
    states = torch.stack(states)
    loss = -value_net(states).mean()
    grad_norm = apply_update(accelerator, loss, optimizer, max_norm=100.0)
    if grad_norm is not None:
        log["grad_norm"] = float(grad_norm)


def rollout_returns(policy, dynamics, reward_net, start, horizon, log):
    state = start
    total = 0.0
    for _ in range(horizon):  # expect: NG001
        action = torch.tanh(policy(state))
        state = dynamics(state, action)
        total = total + reward_net(state).mean().item()
    log["return"] = total
