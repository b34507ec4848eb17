# corpus: NG015
"""Shape reconstruction from a trained SDF decoder: only the latent code is optimized, but the
decoder's weights still require grad, so each of the 800 steps also computes (and accumulates)
a gradient for every decoder parameter. `evaluate` shows the reconstruction's sibling that freezes
nothing either, but only runs forwards."""
import torch
import torch.nn.functional as F


def reconstruct(decoder, sdf_samples, latent_size, num_iterations=800, lr=5e-4, stat=0.01):
    latent = torch.ones(1, latent_size).normal_(mean=0, std=stat)
    latent.requires_grad = True
    optimizer = torch.optim.Adam([latent], lr=lr)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=400)
    loss_num = 0.0
    for e in range(num_iterations):
        decoder.eval()
        xyz, sdf_gt = sdf_samples[:, 0:3], sdf_samples[:, 3:]
        optimizer.zero_grad()
        inputs = torch.cat([latent.expand(len(xyz), -1), xyz], 1)
        pred_sdf = torch.clamp(decoder(inputs), -0.1, 0.1)
        loss = F.l1_loss(pred_sdf, torch.clamp(sdf_gt, -0.1, 0.1))
        loss = loss + 1e-4 * latent.pow(2).mean()
        loss.backward()  # expect: NG015
        optimizer.step()
        scheduler.step()
        loss_num = loss.item()
    return loss_num, latent


def evaluate(decoder, latent, xyz):
    with torch.no_grad():
        return decoder(torch.cat([latent.expand(len(xyz), -1), xyz], 1))
