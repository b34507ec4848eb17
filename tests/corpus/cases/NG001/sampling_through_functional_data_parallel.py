# corpus: NG001
"""A GAN's sampler runs the generator through `nn.parallel.data_parallel(netG, inputs, gpus)`,
torch's functional data parallelism, after `netG.eval()`, and saves each image as a NumPy array.
The training step runs the same call and backpropagates the discriminator's verdict."""
import numpy as np
import torch
from torch import nn


def sample(netG, embeddings, noise_dim, gpus, batch_size=64):
    netG.eval()
    images = []
    for start in range(0, len(embeddings), batch_size):  # expect: NG001
        emb = torch.as_tensor(embeddings[start:start + batch_size])
        noise = torch.randn(len(emb), noise_dim)
        fake = nn.parallel.data_parallel(netG, (emb, noise), gpus)
        images.extend(np.asarray(f.data.cpu().numpy()) for f in fake)
    return images


def train_generator(netG, netD, loader, optimizer, noise_dim, gpus):
    netG.train()
    for emb in loader:
        noise = torch.randn(len(emb), noise_dim)
        fake = nn.parallel.data_parallel(netG, (emb, noise), gpus)
        loss = -netD(fake).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
