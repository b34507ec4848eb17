# corpus: NG002
"""The rollout runs under no_grad; the author put the learning call inside it."""
import torch

from agent import A2C


def run(env, agent: A2C, updates=10000, n_steps=5, gamma=0.99):
    obs = env.reset()
    for _ in range(updates):
        with torch.no_grad():
            batch_obs, batch_act, rewards = [], [], []
            for _ in range(n_steps):
                action = agent.act(obs)
                next_obs, reward, done, _ = env.step(action)
                batch_obs.append(obs)
                batch_act.append(action)
                rewards.append(reward)
                obs = env.reset() if done else next_obs
            returns, running = [], 0.0
            for r in reversed(rewards):
                running = r + gamma * running
                returns.insert(0, running)
            agent.learn(torch.stack(batch_obs), torch.stack(batch_act), torch.tensor(returns))
