# corpus: NG001
"""Training of a density model: one batch step shared by training and evaluation (it encodes,
samples and decodes), and a training loop that backpropagates through it."""
import torch


def batch_step(net, grid, images, poses):
    mean, log_var = net.encode(images)
    code = mean + torch.randn_like(mean) * (0.5 * log_var).exp()
    decoded = net(grid @ poses, code)
    return mean, log_var, decoded


def reconstruction_loss(decoded, images, mean, log_var):
    kl = -0.5 * (1 + log_var - mean.pow(2) - log_var.exp()).sum(1).mean()
    return ((decoded - images) ** 2).mean() + kl


def fit(net, grid, loader, epochs):
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-4)
    for _ in range(epochs):
        for images, poses in loader:
            mean, log_var, decoded = batch_step(net, grid, images, poses)
            loss = reconstruction_loss(decoded, images, mean, log_var)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
