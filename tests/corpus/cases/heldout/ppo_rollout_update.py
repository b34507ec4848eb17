# corpus: NG001, NG002, NG003
"""PPO: rollout under no_grad into preallocated storage, minibatch update with detached logging (correct)."""
import numpy as np
import torch
import torch.nn as nn


def collect_rollout(agent, envs, obs, num_steps, device):
    obs_buf = torch.zeros((num_steps,) + obs.shape, device=device)
    actions = torch.zeros((num_steps, obs.shape[0]), device=device)
    logprobs = torch.zeros((num_steps, obs.shape[0]), device=device)
    values = torch.zeros((num_steps, obs.shape[0]), device=device)
    rewards = torch.zeros((num_steps, obs.shape[0]), device=device)
    for step in range(num_steps):
        obs_buf[step] = obs
        with torch.no_grad():
            action, logprob, _, value = agent.get_action_and_value(obs)
            values[step] = value.flatten()
        actions[step] = action
        logprobs[step] = logprob
        next_obs, reward, done, info = envs.step(action.cpu().numpy())
        rewards[step] = torch.tensor(reward, device=device).view(-1)
        obs = torch.as_tensor(next_obs, device=device)
    return obs_buf, actions, logprobs, values, rewards, obs


def ppo_update(agent, optimizer, b_obs, b_actions, b_logprobs, b_returns, b_advantages, epochs=4, mb=256, clip=0.2):
    clipfracs, approx_kls = [], []
    n = b_obs.shape[0]
    for epoch in range(epochs):
        idx = np.random.permutation(n)
        for start in range(0, n, mb):
            mb_idx = idx[start:start + mb]
            _, newlogprob, entropy, newvalue = agent.get_action_and_value(b_obs[mb_idx], b_actions[mb_idx])
            logratio = newlogprob - b_logprobs[mb_idx]
            ratio = logratio.exp()
            with torch.no_grad():
                approx_kl = ((ratio - 1) - logratio).mean()
                clipfracs += [((ratio - 1.0).abs() > clip).float().mean().item()]
            adv = b_advantages[mb_idx]
            pg_loss = torch.max(-adv * ratio, -adv * torch.clamp(ratio, 1 - clip, 1 + clip)).mean()
            v_loss = 0.5 * ((newvalue.view(-1) - b_returns[mb_idx]) ** 2).mean()
            loss = pg_loss - 0.01 * entropy.mean() + 0.5 * v_loss
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(agent.parameters(), 0.5)
            optimizer.step()
            approx_kls.append(approx_kl)
    return float(np.mean(clipfracs)), torch.stack(approx_kls).mean().item()
