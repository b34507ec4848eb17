# corpus: NG003
"""A GAN step puts each loss into a logging dict under a fixed key: the next step overwrites the
slot, so the dict holds no more graph than the local it came from. A running total kept in a slot
that reads itself does keep every step's graph."""
import torch


def train(gen, disc, loader, g_opt, d_opt):
    logged = {}
    totals = {"d": 0.0}
    for real in loader:
        fake = gen(torch.randn(real.shape[0], 16))
        d_loss = torch.nn.functional.softplus(disc(fake.detach())).mean() + \
            torch.nn.functional.softplus(-disc(real)).mean()
        logged["d"] = d_loss
        d_opt.zero_grad()
        d_loss.backward()
        d_opt.step()
        g_loss = torch.nn.functional.softplus(-disc(fake)).mean()
        logged["g"] = g_loss
        g_opt.zero_grad()
        g_loss.backward()
        g_opt.step()
        totals["d"] = totals["d"] + d_loss  # expect: NG003
        print({k: v.item() for k, v in logged.items()})
    return totals
