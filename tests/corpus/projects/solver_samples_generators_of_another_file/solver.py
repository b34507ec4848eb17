# corpus: NG001
"""A solver builds its networks in `build`, from the classes of the other file, and every few
hundred steps of its training loop translates a fixed batch to save a picture. That translation runs
with gradients on and only its NumPy copy leaves it: the graph of a whole generator forward is
recorded for nothing. (The class is the other file's: only its `forward` can say that calling it
records a graph.)"""
import numpy as np
import torch
from networks import Critic, MnistToSvhn


class Solver:
    def __init__(self, sample_every=500):
        self.generator = None
        self.critic = None
        self.sample_every = sample_every

    def build(self):
        self.generator = MnistToSvhn(64)
        self.critic = Critic(3)
        self.g_opt = torch.optim.Adam(self.generator.parameters(), 2e-4)
        self.d_opt = torch.optim.Adam(self.critic.parameters(), 2e-4)

    def to_numpy(self, x):
        return x.cpu().data.numpy()

    def train(self, mnist_batches, svhn_batches, fixed_mnist):
        self.build()
        for step, (mnist, svhn) in enumerate(zip(mnist_batches, svhn_batches)):
            fake = self.generator(mnist)
            d_loss = torch.mean((self.critic(svhn) - 1) ** 2) + torch.mean(self.critic(fake.detach()) ** 2)
            self.d_opt.zero_grad()
            d_loss.backward()
            self.d_opt.step()
            g_loss = torch.mean((self.critic(fake) - 1) ** 2)
            self.g_opt.zero_grad()
            g_loss.backward()
            self.g_opt.step()
            if (step + 1) % self.sample_every == 0:
                translated = self.generator(fixed_mnist)  # expect: NG001
                picture = self.to_numpy(translated)
                np.save(f"sample-{step + 1}.npy", picture)
