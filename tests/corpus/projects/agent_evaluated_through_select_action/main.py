# corpus: NG001
"""The evaluation episodes run the policy's `select_action` with gradients on: each step records
the actor's graph for nothing (only the action array is kept)."""
import numpy as np
import torch

import td3


def eval_policy(policy, env, episodes=10):
    total = 0.0
    for _ in range(episodes):
        state, done = env.reset(), False
        while not done:  # expect: NG001
            action = policy.select_action(np.array(state))
            state, reward, done, _ = env.step(action)
            total += reward
    return total / episodes


if __name__ == "__main__":
    policy = td3.TD3(3, 1, 1.0)
    print(eval_policy(policy, None))
