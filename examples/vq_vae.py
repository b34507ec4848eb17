"""A VQ-VAE whose codebook is learned by exponential moving averages (van den Oord et al., 2017),
trained on MNIST-sized images. The quantiser keeps running statistics of the encoder outputs
assigned to each code; the cluster sizes are updated correctly, under no_grad."""
import torch
import torch.nn.functional as F
from torch import nn


class EmaQuantizer(nn.Module):
    def __init__(self, codes=128, dim=32, decay=0.99, eps=1e-5):
        super().__init__()
        self.decay, self.eps = decay, eps
        self.register_buffer("embed", torch.randn(codes, dim))
        self.register_buffer("cluster_size", torch.zeros(codes))
        self.register_buffer("embed_sum", self.embed.clone())

    def forward(self, z):
        flat = z.permute(0, 2, 3, 1).reshape(-1, z.shape[1])
        idx = torch.cdist(flat, self.embed).argmin(-1)
        onehot = F.one_hot(idx, self.embed.shape[0]).type(flat.dtype)
        if self.training:
            with torch.no_grad():
                self.cluster_size.mul_(self.decay).add_(onehot.sum(0), alpha=1 - self.decay)
            self.embed_sum.mul_(self.decay).add_(onehot.t() @ flat, alpha=1 - self.decay)  # BUG NG014: the encoder's graph is chained into the buffer every step
            n = self.cluster_size.sum()
            size = (self.cluster_size + self.eps) / (n + len(self.cluster_size) * self.eps) * n
            self.embed.copy_(self.embed_sum / size.unsqueeze(1))
        quantised = self.embed[idx].view(z.shape[0], z.shape[2], z.shape[3], -1).permute(0, 3, 1, 2)
        commitment = F.mse_loss(z, quantised.detach())
        return z + (quantised - z).detach(), commitment


class VQVAE(nn.Module):
    def __init__(self, dim=32):
        super().__init__()
        self.encoder = nn.Sequential(nn.Conv2d(1, dim, 4, 2, 1), nn.ReLU(), nn.Conv2d(dim, dim, 4, 2, 1))
        self.quantizer = EmaQuantizer(dim=dim)
        self.decoder = nn.Sequential(nn.ConvTranspose2d(dim, dim, 4, 2, 1), nn.ReLU(),
                                     nn.ConvTranspose2d(dim, 1, 4, 2, 1))

    def forward(self, x):
        z, commitment = self.quantizer(self.encoder(x))
        return self.decoder(z), commitment


def train(model, loader, epochs=5, lr=2e-4):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    for epoch in range(epochs):
        model.train()
        running = 0.0
        for x, _ in loader:
            recon, commitment = model(x)
            loss = F.mse_loss(recon, x) + 0.25 * commitment
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            running += loss.item()
        print(f"epoch {epoch}: {running / len(loader):.4f}")
