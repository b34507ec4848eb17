# corpus: NG002
"""PPO: the policy update is called from inside the rollout's no_grad block."""
import torch


def ppo_update(policy, optimizer, obs, actions, old_logp, advantages, clip=0.2):
    dist = policy(obs)
    ratio = (dist.log_prob(actions) - old_logp).exp()
    loss = -torch.min(ratio * advantages, ratio.clamp(1 - clip, 1 + clip) * advantages).mean()
    optimizer.zero_grad()
    loss.backward()  # expect: NG002
    optimizer.step()
    return loss.item()


def train(env, policy, optimizer, iterations=1000, horizon=2048):
    obs = env.reset()
    for _ in range(iterations):
        buffer = []
        with torch.no_grad():
            for _ in range(horizon):
                dist = policy(obs)
                action = dist.sample()
                next_obs, reward, done, _ = env.step(action)
                buffer.append((obs, action, dist.log_prob(action), reward))
                obs = env.reset() if done else next_obs
            obs_b, act_b, logp_b, adv_b = compute_advantages(buffer)
            ppo_update(policy, optimizer, obs_b, act_b, logp_b, adv_b)


def compute_advantages(buffer):
    obs, actions, logp, rewards = map(torch.stack, zip(*buffer))
    adv = (rewards - rewards.mean()) / (rewards.std() + 1e-8)
    return obs, actions, logp, adv
