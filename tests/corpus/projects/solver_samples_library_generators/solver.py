# corpus: NG001
"""The same solver with a generator class from an installed package, not from this project: the
project does not say what calling it does (it may be a frozen, `no_grad` sampler), so the sampling
in the loop is not judged."""
import numpy as np
import torch
from pix2pix_zoo import PretrainedCritic, PretrainedTranslator


class Solver:
    def __init__(self, sample_every=500):
        self.generator = None
        self.critic = None
        self.sample_every = sample_every

    def build(self):
        self.generator = PretrainedTranslator("mnist-svhn")
        self.critic = PretrainedCritic("svhn")
        self.g_opt = torch.optim.Adam(self.generator.parameters(), 2e-4)

    def train(self, mnist_batches, fixed_mnist):
        self.build()
        for step, mnist in enumerate(mnist_batches):
            g_loss = torch.mean((self.critic(self.generator(mnist)) - 1) ** 2)
            self.g_opt.zero_grad()
            g_loss.backward()
            self.g_opt.step()
            if (step + 1) % self.sample_every == 0:
                translated = self.generator(fixed_mnist)
                np.save(f"sample-{step + 1}.npy", translated.cpu().data.numpy())
