# corpus: NG003, NG004
"""REINFORCE with a moving-average baseline; the baseline is updated with the loss tensor itself."""
import torch
from torch.distributions import Categorical


def reinforce(policy, env, optimizer, episodes=500, gamma=0.99):
    baseline = 0.0
    for episode in range(episodes):
        state, _ = env.reset()
        log_probs, rewards = [], []
        done = False
        while not done:
            logits = policy(torch.as_tensor(state, dtype=torch.float32))
            dist = Categorical(logits=logits)
            action = dist.sample()
            log_probs.append(dist.log_prob(action))
            state, reward, terminated, truncated, _ = env.step(action.item())
            rewards.append(reward)
            done = terminated or truncated
        returns, g = [], 0.0
        for r in reversed(rewards):
            g = r + gamma * g
            returns.insert(0, g)
        returns = torch.tensor(returns)
        loss = -(torch.stack(log_probs) * (returns - returns.mean())).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        baseline = 0.95 * baseline + 0.05 * loss  # expect: NG003
    return baseline
