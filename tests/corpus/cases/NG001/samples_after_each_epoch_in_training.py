# corpus: NG001
"""A federated GAN client trains its generator and discriminator each epoch, then puts the
generator in eval mode and draws a grid of samples with gradients on: the samples are only
turned into a numpy image, so the forward records a graph nothing backpropagates. The
discriminator's score of real images, kept and added to the loss, does reach the backward."""
import numpy as np
import torch


def train(netg, netd, loader, opt_g, opt_d, epochs, device):
    images = []
    for epoch in range(epochs):
        for x, _ in loader:
            z = torch.randn(x.shape[0], 100, device=device)
            d_real = netd(x)
            d_loss = -(torch.log(d_real) + torch.log(1 - netd(netg(z).detach()))).mean()
            opt_d.zero_grad()
            d_loss.backward()
            opt_d.step()
            g_loss = -torch.log(netd(netg(z))).mean()
            opt_g.zero_grad()
            g_loss.backward()
            opt_g.step()
        netg.eval()
        z = torch.randn(100, 100, device=device)
        y_hat = netg(z).view(100, 28, 28)  # expect: NG001
        result = y_hat.cpu().data.numpy()
        images.append(np.concatenate(list(result[:10]), axis=-1))
        netg.train()
    return images
