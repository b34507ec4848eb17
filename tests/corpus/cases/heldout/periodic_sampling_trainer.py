# corpus: NG012, NG001
"""Generative trainer: sampling callback restores train mode (correct); a preview helper does not (bug)."""
import torch
import torch.nn.functional as F


class Sampler:
    def __init__(self, model, n=16):
        self.model = model
        self.n = n

    @torch.no_grad()
    def sample(self, steps):
        was_training = self.model.training
        self.model.eval()
        x = torch.randn(self.n, 3, 32, 32)
        for t in reversed(range(steps)):
            x = x - self.model(x, torch.full((self.n,), t)) / steps
        if was_training:
            self.model.train()
        return x


@torch.no_grad()
def preview(model, batch):
    model.eval()
    return model(batch[:4], torch.zeros(4, dtype=torch.long)).clamp(-1, 1)


def train(model, loader, optimizer, total_steps, sample_every=1000, preview_every=250):
    sampler = Sampler(model)
    model.train()
    step = 0
    for epoch in range(10 ** 6):
        for x0 in loader:
            t = torch.randint(0, 1000, (x0.shape[0],))
            noise = torch.randn_like(x0)
            loss = F.mse_loss(model(x0 + noise, t), noise)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            step += 1
            if step % sample_every == 0:
                sampler.sample(steps=50)
            if step % preview_every == 0:
                preview(model, x0)  # expect: NG012
            if step >= total_steps:
                return
