# corpus: NG001
"""A training loop runs the network a second time in eval mode and hands the output to a helper of
the file that takes its own optimizer step on it: the second forward's graph is backpropagated
inside the helper, so it is no wasted evaluation."""
import torch


def refine_step(estimate, clean, optimizer):
    loss = ((estimate - clean) ** 2).mean()
    loss.backward()
    optimizer.step()
    return loss.item()


def train_epoch(model, loader, optimizer, criterion):
    for noisy, clean in loader:
        model.train()
        optimizer.zero_grad()
        loss = criterion(model(noisy), noisy - clean)
        loss.backward()
        optimizer.step()
        model.eval()
        denoised = torch.clamp(noisy - model(noisy), 0.0, 1.0)
        refined = refine_step(denoised, clean, optimizer)
        print(f"loss {loss.item():.4f} refined {refined:.4f}")
