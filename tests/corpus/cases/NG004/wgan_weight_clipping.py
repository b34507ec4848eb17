# corpus: NG004, NG003, NG007
"""WGAN critic update; the weight clipping is done on the parameters themselves."""
import torch


def critic_step(critic, generator, real, opt_critic, z_dim=64, clip=0.01):
    z = torch.randn(real.size(0), z_dim, device=real.device)
    fake = generator(z).detach()
    loss_critic = critic(fake).mean() - critic(real).mean()
    opt_critic.zero_grad()
    loss_critic.backward()
    opt_critic.step()
    for p in critic.parameters():
        p.clamp_(-clip, clip)  # expect: NG004
    return loss_critic.item()
