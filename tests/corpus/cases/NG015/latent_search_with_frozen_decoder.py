# corpus: NG015
"""The decoder is frozen before the latent search and made trainable again after it."""
import torch
import torch.nn.functional as F


def reconstruct(decoder, xyz, sdf, steps=800):
    decoder.requires_grad_(False)
    latent = torch.zeros(1, 256, requires_grad=True)
    optimizer = torch.optim.Adam([latent], lr=5e-4)
    for _ in range(steps):
        optimizer.zero_grad()
        loss = F.l1_loss(decoder(torch.cat([latent.expand(len(xyz), -1), xyz], 1)), sdf)
        loss.backward()
        optimizer.step()
    decoder.requires_grad_(True)
    return latent.detach()
