# corpus: NG007
# A conditional GAN step. The generator's loss reads the generated batch itself (a reconstruction
# term), so it is meant to train the generator; its adversarial term hands the critic a detached
# copy, so the critic's verdict never reaches the generator.
import torch
import torch.nn.functional as F
from torch import nn


class Painter(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 16))

    def forward(self, sketch):
        return self.net(sketch)


class Critic(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(32, 32), nn.LeakyReLU(0.2), nn.Linear(32, 1))

    def forward(self, image, sketch):
        return self.net(torch.cat([image, sketch], 1))


class Pix2Pix:
    def __init__(self):
        self.painter = Painter()
        self.critic = Critic()
        self.probe = nn.Linear(16, 10)
        self.opt_p = torch.optim.Adam(self.painter.parameters())
        self.opt_c = torch.optim.Adam(self.critic.parameters())

    def step(self, sketch, photo):
        painted = self.painter(sketch)
        # The critic's own step: the detached copy is right here.
        real_score = self.critic(photo, sketch)
        fake_score = self.critic(painted.detach(), sketch)
        critic_loss = F.softplus(-real_score).mean() + F.softplus(fake_score).mean()
        self.opt_c.zero_grad()
        critic_loss.backward()
        self.opt_c.step()
        # The painter's step.
        verdict = self.critic(painted.detach(), sketch)  # expect: NG007
        painter_loss = F.softplus(-verdict).mean() + 100 * F.l1_loss(painted, photo)
        self.opt_p.zero_grad()
        painter_loss.backward()
        self.opt_p.step()

    def fixed_step(self, sketch, photo):
        painted = self.painter(sketch)
        verdict = self.critic(painted, sketch)
        painter_loss = F.softplus(-verdict).mean() + 100 * F.l1_loss(painted, photo)
        self.opt_p.zero_grad()
        painter_loss.backward()
        self.opt_p.step()

    def probe_step(self, sketch, labels):
        # An online probe trained on detached features next to the painter's own loss: the
        # probe never sees data of its own, and its detach keeps it from steering the painter.
        painted = self.painter(sketch)
        logits = self.probe(painted.detach())
        loss = painted.pow(2).mean() + F.cross_entropy(logits, labels)
        loss.backward()
