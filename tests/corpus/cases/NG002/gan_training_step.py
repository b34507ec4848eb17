# corpus: NG002, NG001, NG012
"""DCGAN step: discriminator on fake.detach(), generator through the discriminator."""
import torch
import torch.nn.functional as F


def gan_step(generator, discriminator, real, opt_g, opt_d, z_dim=128):
    z = torch.randn(real.size(0), z_dim, device=real.device)
    fake = generator(z)

    opt_d.zero_grad()
    d_real = discriminator(real)
    d_fake = discriminator(fake.detach())
    d_loss = F.binary_cross_entropy_with_logits(d_real, torch.ones_like(d_real)) + \
        F.binary_cross_entropy_with_logits(d_fake, torch.zeros_like(d_fake))
    d_loss.backward()
    opt_d.step()

    opt_g.zero_grad()
    g_out = discriminator(fake)
    g_loss = F.binary_cross_entropy_with_logits(g_out, torch.ones_like(g_out))
    g_loss.backward()
    opt_g.step()

    with torch.no_grad():
        d_acc = ((d_real > 0).float().mean() + (d_fake < 0).float().mean()) / 2
    return d_loss.item(), g_loss.item(), d_acc.item()


def train(generator, discriminator, loader, opt_g, opt_d, epochs, fixed_z):
    for epoch in range(epochs):
        generator.train()
        for real, _ in loader:
            gan_step(generator, discriminator, real, opt_g, opt_d)
        generator.eval()
        with torch.no_grad():
            samples = generator(fixed_z)
        torch.save(samples, f"samples_{epoch}.pt")
