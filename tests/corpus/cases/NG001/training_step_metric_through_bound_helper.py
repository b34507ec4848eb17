# corpus: NG001
"""A denoiser's training loop switches the network to eval mode after each step and runs it once
more on the same batch, only to score the step with a metric helper of the file. The helper's
result is bound to a name and printed: nothing backpropagates through that second forward."""
import torch


def psnr(estimate, clean, data_range):
    mse = ((estimate - clean) ** 2).mean().item()
    return 10 * torch.log10(torch.tensor(data_range ** 2 / mse)).item()


def train_epoch(model, loader, optimizer, criterion):
    for noisy, clean in loader:
        model.train()
        optimizer.zero_grad()
        loss = criterion(model(noisy), noisy - clean)
        loss.backward()
        optimizer.step()
        model.eval()
        denoised = torch.clamp(noisy - model(noisy), 0.0, 1.0)  # expect: NG001
        score = psnr(denoised, clean, 1.0)
        print(f"loss {loss.item():.4f} psnr {score:.2f}")
