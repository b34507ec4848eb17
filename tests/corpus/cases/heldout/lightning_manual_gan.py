# corpus: NG001, NG002, NG003
"""Lightning GAN with manual optimization (correct): manual_backward, toggled optimizers, logged scalars."""
import torch
import torch.nn.functional as F
import lightning.pytorch as pl


class GAN(pl.LightningModule):
    def __init__(self, generator, discriminator, latent_dim=100, lr=2e-4):
        super().__init__()
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = latent_dim
        self.lr = lr
        self.automatic_optimization = False
        self.validation_z = torch.randn(8, latent_dim)

    def forward(self, z):
        return self.generator(z)

    def training_step(self, batch, batch_idx):
        imgs, _ = batch
        opt_g, opt_d = self.optimizers()
        z = torch.randn(imgs.shape[0], self.latent_dim).type_as(imgs)

        self.toggle_optimizer(opt_g)
        fake = self(z)
        valid = torch.ones(imgs.size(0), 1).type_as(imgs)
        g_loss = F.binary_cross_entropy(self.discriminator(fake), valid)
        self.manual_backward(g_loss)
        opt_g.step()
        opt_g.zero_grad()
        self.untoggle_optimizer(opt_g)

        self.toggle_optimizer(opt_d)
        real_loss = F.binary_cross_entropy(self.discriminator(imgs), valid)
        fake_loss = F.binary_cross_entropy(self.discriminator(fake.detach()), torch.zeros_like(valid))
        d_loss = (real_loss + fake_loss) / 2
        self.manual_backward(d_loss)
        opt_d.step()
        opt_d.zero_grad()
        self.untoggle_optimizer(opt_d)
        self.log_dict({"g_loss": g_loss, "d_loss": d_loss}, prog_bar=True)

    def validation_step(self, batch, batch_idx):
        imgs, _ = batch
        scores = []
        for chunk in imgs.split(16):
            scores.append(self.discriminator(chunk).mean())
        self.log("val_d_real", torch.stack(scores).mean())

    def on_validation_epoch_end(self):
        samples = self(self.validation_z.type_as(self.generator.net[0].weight))
        self.logger.experiment.add_images("generated", samples, self.current_epoch)

    def configure_optimizers(self):
        opt_g = torch.optim.Adam(self.generator.parameters(), lr=self.lr, betas=(0.5, 0.999))
        opt_d = torch.optim.Adam(self.discriminator.parameters(), lr=self.lr, betas=(0.5, 0.999))
        return [opt_g, opt_d], []
