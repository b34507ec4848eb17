# corpus: NG003
"""An active search keeps the best decoded tour across iterations: it copies the winning row of
actions into a buffer made with an integer dtype, which cannot hold autograd history. A second
search keeps the best log-likelihood row in a float buffer, which chains every improving
iteration's graph."""
import torch


def search(policy, instance, optimizer, iters, n_nodes):
    best_reward = torch.tensor(float("-inf"))
    best_tour = torch.zeros(n_nodes, dtype=torch.long)
    for _ in range(iters):
        out = policy(instance)
        reward = out["reward"]
        if reward.max() > best_reward:
            idx = reward.argmax()
            best_tour[:] = out["actions"][idx]
            best_reward = reward.max().detach()
        loss = -(reward - reward.mean()).detach().mul(out["log_likelihood"]).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return best_tour


def search_keeping_likelihood(policy, instance, optimizer, iters, n_nodes):
    best_reward = torch.tensor(float("-inf"))
    best_ll = torch.zeros(n_nodes)
    for _ in range(iters):
        out = policy(instance)
        reward = out["reward"]
        if reward.max() > best_reward:
            idx = reward.argmax()
            best_ll[:] = out["log_likelihood"][idx]  # expect: NG003
            best_reward = reward.max().detach()
        loss = -(reward - reward.mean()).detach().mul(out["log_likelihood"]).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return best_ll
