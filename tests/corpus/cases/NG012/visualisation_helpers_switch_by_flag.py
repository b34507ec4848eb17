# corpus: NG012
"""A VAE solver's visualisation helpers switch the network with a flag helper: eval mode first,
train mode again at their end (`net_mode(train=True)`), so the training loop that calls them keeps
training in train mode. A helper that never switches back leaves the loop in eval mode."""
import torch


class Solver:
    def __init__(self, net, optim, loader):
        self.net, self.optim, self.loader = net, optim, loader

    def net_mode(self, train):
        if train:
            self.net.train()
        else:
            self.net.eval()

    def show_reconstruction(self, x):
        self.net_mode(train=False)
        with torch.no_grad():
            print(self.net(x)[0].mean().item())
        self.net_mode(train=True)

    def show_samples(self):
        self.net_mode(train=False)
        with torch.no_grad():
            print(self.net.decode(torch.randn(4, 10)).shape)

    def train(self, steps):
        self.net_mode(train=True)
        for step, x in zip(range(steps), self.loader):
            recon, kld = self.net(x)
            loss = recon + kld
            self.optim.zero_grad()
            loss.backward()
            self.optim.step()
            if step % 1000 == 0:
                self.show_reconstruction(x)

    def train_with_samples(self, steps):
        self.net_mode(train=True)
        for step, x in zip(range(steps), self.loader):
            recon, kld = self.net(x)
            loss = recon + kld
            self.optim.zero_grad()
            loss.backward()
            self.optim.step()
            if step % 1000 == 0:
                self.show_samples()  # expect: NG012
