# corpus: NG015
"""The search function takes a decoder frozen by its caller in the same file; the training loop
trains the network with an optimizer over its parameters; the prompt tuner optimizes a soft
prompt through a text encoder whose weights the module freezes when it loads it."""
import torch
import torch.nn.functional as F


def search_latent(decoder, xyz, sdf, steps=200):
    latent = torch.zeros(1, 64)
    latent.requires_grad = True
    optimizer = torch.optim.Adam([latent], lr=1e-3)
    for _ in range(steps):
        optimizer.zero_grad()
        F.mse_loss(decoder(torch.cat([latent.expand(len(xyz), -1), xyz], 1)), sdf).backward()
        optimizer.step()
    return latent.detach()


def main(decoder, shapes):
    decoder.eval()
    decoder.requires_grad_(False)
    return [search_latent(decoder, xyz, sdf) for xyz, sdf in shapes]


def train(model, loader, epochs=10):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            F.mse_loss(model(x), y).backward()
            optimizer.step()
