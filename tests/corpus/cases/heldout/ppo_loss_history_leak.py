# corpus: NG003
"""A PPO learner that logs tensors with history across minibatches (graphs kept alive)."""
import torch


class PPOLearner:
    def __init__(self, policy, optimizer, clip=0.2):
        self.policy = policy
        self.optimizer = optimizer
        self.clip = clip
        self.loss_history = []

    def learn(self, batches):
        entropy_sum = 0
        value_losses = {}
        for i, (obs, act, old_logp, adv, ret) in enumerate(batches):
            dist, value = self.policy(obs)
            ratio = (dist.log_prob(act) - old_logp).exp()
            pg = -torch.min(ratio * adv, ratio.clamp(1 - self.clip, 1 + self.clip) * adv).mean()
            v_loss = (value.squeeze(-1) - ret).pow(2).mean()
            entropy = dist.entropy().mean()
            loss = pg + 0.5 * v_loss - 0.01 * entropy
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
            self.loss_history.append(loss)  # expect: NG003
            entropy_sum += entropy  # expect: NG003
            value_losses[i % 4] = value_losses.get(i % 4, 0.0) + v_loss.item()
        return entropy_sum / max(len(batches), 1), value_losses
