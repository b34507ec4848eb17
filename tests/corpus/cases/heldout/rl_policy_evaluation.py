# corpus: NG001
"""RL utilities: a policy evaluation rollout without no_grad (bug); a decorated one; a layer-shape check."""
import numpy as np
import torch
from torch import nn


def evaluate_policy(env, policy, episodes=10):
    policy.eval()
    returns = []
    for _ in range(episodes):
        obs, done, total = env.reset(), False, 0.0
        while not done:  # expect: NG001
            action = policy(torch.as_tensor(obs, dtype=torch.float32).unsqueeze(0)).argmax(-1).item()
            obs, reward, done, _ = env.step(action)
            total += reward
        returns.append(total)
    return float(np.mean(returns))


@torch.no_grad()
def evaluate_policy_fixed(env, policy, episodes=10):
    policy.eval()
    returns = []
    for _ in range(episodes):
        obs, done, total = env.reset(), False, 0.0
        while not done:
            action = policy(torch.as_tensor(obs, dtype=torch.float32).unsqueeze(0)).argmax(-1).item()
            obs, reward, done, _ = env.step(action)
            total += reward
        returns.append(total)
    return float(np.mean(returns))


def validate_architecture(model: nn.Sequential, input_shape):
    """Run one dummy input through the layers to check they fit together; report the shapes."""
    x = torch.zeros(1, *input_shape)
    shapes = []
    for name, layer in model.named_children():
        x = layer(x)
        shapes.append((name, tuple(x.shape)))
    return shapes
