# corpus: NG002, NG003, NG004, NG007
"""Soft actor-critic update with inline self.critic(...) calls and a learned temperature (correct)."""
import torch
import torch.nn.functional as F


class SAC:
    def __init__(self, actor, critic1, critic2, critic1_t, critic2_t, action_dim, gamma=0.99, tau=0.005, lr=3e-4):
        self.actor = actor
        self.critic1, self.critic2 = critic1, critic2
        self.critic1_t, self.critic2_t = critic1_t, critic2_t
        self.log_alpha = torch.zeros(1, requires_grad=True)
        self.target_entropy = -float(action_dim)
        self.actor_opt = torch.optim.Adam(actor.parameters(), lr=lr)
        self.critic_opt = torch.optim.Adam(list(critic1.parameters()) + list(critic2.parameters()), lr=lr)
        self.alpha_opt = torch.optim.Adam([self.log_alpha], lr=lr)
        self.gamma, self.tau = gamma, tau

    @property
    def alpha(self):
        return self.log_alpha.exp().detach()

    def update(self, s, a, r, s2, d):
        with torch.no_grad():
            a2, logp2 = self.actor.sample(s2)
            q_t = torch.min(self.critic1_t(s2, a2), self.critic2_t(s2, a2))
            backup = r + self.gamma * (1 - d) * (q_t - self.alpha * logp2)
        critic_loss = F.mse_loss(self.critic1(s, a), backup) + F.mse_loss(self.critic2(s, a), backup)
        self.critic_opt.zero_grad()
        critic_loss.backward()
        self.critic_opt.step()

        pi, logp = self.actor.sample(s)
        q_pi = torch.min(self.critic1(s, pi), self.critic2(s, pi))
        actor_loss = (self.alpha * logp - q_pi).mean()
        self.actor_opt.zero_grad()
        actor_loss.backward()
        self.actor_opt.step()

        alpha_loss = -(self.log_alpha * (logp.detach() + self.target_entropy)).mean()
        self.alpha_opt.zero_grad()
        alpha_loss.backward()
        self.alpha_opt.step()

        with torch.no_grad():
            for net, net_t in ((self.critic1, self.critic1_t), (self.critic2, self.critic2_t)):
                for p, p_t in zip(net.parameters(), net_t.parameters()):
                    p_t.mul_(1 - self.tau).add_(self.tau * p)
        return {"critic": critic_loss.item(), "actor": actor_loss.item(), "alpha": self.alpha.item()}


def train(agent, env, buffer, steps, batch_size=256):
    stats = []
    s = env.reset()
    for t in range(steps):
        with torch.no_grad():
            a, _ = agent.actor.sample(torch.as_tensor(s, dtype=torch.float32))
        s2, r, d, _ = env.step(a.numpy())
        buffer.store(s, a.numpy(), r, s2, d)
        s = env.reset() if d else s2
        if t >= 1000:
            stats.append(agent.update(*buffer.sample_batch(batch_size)))
    return stats
