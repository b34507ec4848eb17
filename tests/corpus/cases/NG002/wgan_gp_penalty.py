# corpus: NG002
"""WGAN-GP critic update; the interpolates were built inside a no_grad block."""
import torch


def gradient_penalty(critic, real, fake):
    with torch.no_grad():
        alpha = torch.rand(real.size(0), 1, 1, 1, device=real.device)
        interpolates = alpha * real + (1 - alpha) * fake
        interpolates.requires_grad_(True)
        scores = critic(interpolates)
    grads, = torch.autograd.grad(  # expect: NG002
        outputs=scores.sum(), inputs=interpolates, create_graph=True
    )
    return ((grads.flatten(1).norm(2, dim=1) - 1) ** 2).mean()


def critic_step(critic, generator, real, z, opt_c, lambda_gp=10.0):
    fake = generator(z).detach()
    loss = critic(fake).mean() - critic(real).mean() + lambda_gp * gradient_penalty(critic, real, fake)
    opt_c.zero_grad()
    loss.backward()
    opt_c.step()
    return loss.item()
