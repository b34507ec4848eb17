# corpus: NG015
"""A Carlini-Wagner style attack: the perturbation is optimized with Adam through the classifier,
whose parameters are left trainable, so each of the steps also fills `.grad` of every weight."""
import torch
import torch.nn.functional as F


def cw_attack(model, x, y, steps=100, c=1.0, lr=0.01):
    model.eval()
    w = torch.zeros_like(x, requires_grad=True)
    optimizer = torch.optim.Adam([w], lr=lr)
    for _ in range(steps):
        adv = 0.5 * (torch.tanh(w) + 1)
        logits = model(adv)
        real = logits.gather(1, y[:, None]).squeeze(1)
        other = logits.masked_fill(F.one_hot(y, logits.shape[1]).bool(), -1e4).amax(1)
        loss = (adv - x).pow(2).sum() + c * torch.clamp(real - other, min=0).sum()
        optimizer.zero_grad()
        loss.backward()  # expect: NG015
        optimizer.step()
    return (0.5 * (torch.tanh(w) + 1)).detach()
