# corpus: NG003, NG004, NG007
"""GAN step with a detached fake batch for the discriminator, losses logged as floats."""
import torch
import torch.nn.functional as F


def gan_epoch(G, D, optG, optD, loader, z_dim=128):
    G_losses, D_losses = [], []
    d_running = 0.0
    for real in loader:
        z = torch.randn(real.size(0), z_dim)
        fake = G(z)
        d_loss = F.softplus(D(fake.detach())).mean() + F.softplus(-D(real)).mean()
        optD.zero_grad()
        d_loss.backward()
        optD.step()
        g_loss = F.softplus(-D(fake)).mean()
        optG.zero_grad()
        g_loss.backward()
        optG.step()
        G_losses.append(g_loss.item())
        D_losses.append(float(d_loss))
        d_running = 0.9 * d_running + 0.1 * d_loss.detach()
    return G_losses, D_losses, d_running
