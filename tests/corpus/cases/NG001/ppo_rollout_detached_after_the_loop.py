# corpus: NG001
"""PPO on a game: each rollout step runs the actor-critic with gradients on and keeps the value and
the log-probability in lists that are `.detach()`-ed only after the loop, so every step's graph
lives through the whole rollout for nothing; the environment gets a number (`.item()`). The update
epochs then recompute everything with gradients, which is what they need. The second trainer's
rollout keeps its log-probabilities un-detached and backpropagates through them (REINFORCE)."""
import torch
import torch.nn.functional as F
from torch.distributions import Categorical


def train(model, env, optimizer, num_local_steps=512, epochs=10, gamma=0.9):
    state = torch.as_tensor(env.reset(), dtype=torch.float32)
    while True:
        old_log_policies, actions, values, states, rewards = [], [], [], [], []
        for _ in range(num_local_steps):  # expect: NG001
            states.append(state)
            logits, value = model(state)
            values.append(value.squeeze())
            policy = F.softmax(logits, dim=1)
            m = Categorical(policy)
            action = m.sample()
            actions.append(action)
            old_log_policies.append(m.log_prob(action))
            state, reward, done, _ = env.step(action.item())
            state = torch.as_tensor(state, dtype=torch.float32)
            rewards.append(reward)
        values = torch.cat(values).detach()
        states = torch.cat(states)
        actions = torch.cat(actions)
        old_log_policies = torch.cat(old_log_policies).detach()
        returns = torch.tensor([sum(gamma ** k * r for k, r in enumerate(rewards[i:])) for i in range(len(rewards))])
        advantages = returns - values
        for _ in range(epochs):
            logits, value = model(states)
            new_policy = F.softmax(logits, dim=1)
            new_log_policy = Categorical(new_policy).log_prob(actions)
            ratio = torch.exp(new_log_policy - old_log_policies)
            actor_loss = -torch.min(ratio * advantages, torch.clamp(ratio, 0.8, 1.2) * advantages).mean()
            critic_loss = F.smooth_l1_loss(returns, value.squeeze())
            optimizer.zero_grad()
            (actor_loss + critic_loss).backward()
            optimizer.step()


def reinforce(policy_net, env, optimizer, episodes=100):
    for _ in range(episodes):
        state = torch.as_tensor(env.reset(), dtype=torch.float32)
        log_probs, rewards = [], []
        done = False
        while not done:
            dist = Categorical(logits=policy_net(state))
            action = dist.sample()
            log_probs.append(dist.log_prob(action))
            state, reward, done, _ = env.step(action.item())
            state = torch.as_tensor(state, dtype=torch.float32)
            rewards.append(reward)
        loss = -(torch.stack(log_probs) * torch.tensor(rewards)).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
