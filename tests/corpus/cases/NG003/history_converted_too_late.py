# corpus: NG003
"""Near misses: the loss is stored before it is turned into a float, or only some paths convert it."""
import torch
import torch.nn.functional as F


def fit(model, optimizer, loader, epochs=1, log_every=50):
    history = []
    for epoch in range(epochs):
        for step, (x, y) in enumerate(loader):
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            history.append(loss)  # expect: NG003
            loss = loss.detach().cpu().item()
            if step % log_every == 0:
                print(f"epoch {epoch} step {step}: {loss:.4f}")
    return history


def fit_maybe_float(model, optimizer, loader, as_float=False):
    epoch_losses = []
    for x, y in loader:
        optimizer.zero_grad()
        loss = F.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        if as_float:
            loss = float(loss)
        epoch_losses.append(loss)  # expect: NG003
    return epoch_losses
