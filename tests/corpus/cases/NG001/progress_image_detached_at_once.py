# corpus: NG001
"""A GAN trainer draws a progress image from fixed latents after every epoch, inside the epoch
loop that trains: the generator (held by the trainer, whose class the file does not show) runs
with gradients on and the statement detaches its output at once (`.cpu().data.numpy()`), so the
graph of the whole generator is recorded for nothing. The discriminator step's
`netd(self.G(z).detach())` keeps the discriminator's graph for the loss and is left alone."""
import torch


class Trainer:
    def __init__(self, generator, discriminator, g_opt, d_opt):
        self.G = generator
        self.D = discriminator
        self.g_opt = g_opt
        self.d_opt = d_opt

    def train(self, loader, epochs, fixed_latents):
        images = []
        for epoch in range(epochs):
            for x in loader:
                z = torch.randn(x.shape[0], 16)
                d_loss = (self.D(self.G(z).detach()) - self.D(x)).mean()
                self.d_opt.zero_grad()
                d_loss.backward()
                self.d_opt.step()
                g_loss = -self.D(self.G(z)).mean()
                self.g_opt.zero_grad()
                g_loss.backward()
                self.g_opt.step()
            image = self.G(fixed_latents).cpu().data.numpy()  # expect: NG001
            images.append(image)
        return images
