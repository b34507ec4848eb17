"""Shape completion with a trained SDF decoder (DeepSDF-style): for a partial scan, search the latent
code that best explains the observed signed distances, then decode it on a grid."""
import torch
import torch.nn.functional as F


class Decoder(torch.nn.Module):
    def __init__(self, latent_size=256, hidden=512):
        super().__init__()
        self.net = torch.nn.Sequential(
            torch.nn.Linear(latent_size + 3, hidden), torch.nn.ReLU(),
            torch.nn.Linear(hidden, hidden), torch.nn.ReLU(),
            torch.nn.Linear(hidden, 1), torch.nn.Tanh(),
        )

    def forward(self, latent_and_xyz):
        return self.net(latent_and_xyz)


def reconstruct(decoder, xyz, sdf, latent_size=256, steps=800, lr=5e-4, clamp=0.1):
    latent = torch.zeros(1, latent_size).normal_(0, 0.01)
    latent.requires_grad = True
    optimizer = torch.optim.Adam([latent], lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        pred = decoder(torch.cat([latent.expand(len(xyz), -1), xyz], 1))
        loss = F.l1_loss(pred.clamp(-clamp, clamp), sdf.clamp(-clamp, clamp)) + 1e-4 * latent.pow(2).mean()
        loss.backward()  # BUG NG015: every step also fills the decoder's `.grad`; nothing updates it
        optimizer.step()
    return latent.detach()


@torch.no_grad()
def decode_grid(decoder, latent, resolution=64):
    axis = torch.linspace(-1, 1, resolution)
    xyz = torch.stack(torch.meshgrid(axis, axis, axis, indexing="ij"), -1).reshape(-1, 3)
    return decoder(torch.cat([latent.expand(len(xyz), -1), xyz], 1)).reshape(resolution, resolution, resolution)
