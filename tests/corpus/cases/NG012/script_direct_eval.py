# corpus: NG012, NG001
# Quick experiment script: the model is switched to eval for the sample grid and never back.
import torch
from torch import nn, optim

from data import make_loaders
from models import ConvVAE

train_loader, test_loader = make_loaders(batch_size=128)
model = ConvVAE(latent_dim=32)
opt = optim.Adam(model.parameters(), lr=1e-3)
fixed_noise = torch.randn(64, 32)

model.train()
for epoch in range(20):
    for x, _ in train_loader:
        recon, mu, logvar = model(x)
        kld = -0.5 * torch.mean(1 + logvar - mu.pow(2) - logvar.exp())
        loss = nn.functional.binary_cross_entropy(recon, x) + kld
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()  # expect: NG012
    with torch.no_grad():
        torch.save(model.decode(fixed_noise), f"samples/epoch_{epoch}.pt")
