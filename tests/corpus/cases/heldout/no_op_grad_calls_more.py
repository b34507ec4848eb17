# corpus: NG006, NG002
"""More grad-mode calls that do nothing (bugs)."""
import torch


@torch.no_grad()
def refine(model, x, steps=5, lr=0.1):
    torch.enable_grad()  # expect: NG006
    x = x.clone().requires_grad_(True)
    for _ in range(steps):
        energy = model(x).sum()
        (g,) = torch.autograd.grad(energy, x)  # expect: NG002
        x = x - lr * g
    return x


def collect(model, loader):
    outs = []
    with torch.inference_mode:  # expect: NG006
        for x in loader:
            outs.append(model(x))
    return outs


def train_step(model, batch, optimizer, history):
    loss = model(batch).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    loss.detach()  # expect: NG006
    history.append(loss)
