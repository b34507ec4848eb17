# corpus: NG001
"""A command that embeds every image with a trained model: its per-batch helper hands the model
to the batch step of the training module, which runs it, and keeps only arrays and numbers. The
loop over the data records the encoder's and decoder's graphs for nothing."""
import torch

from .train import batch_step, reconstruction_loss


def embed_batch(net, grid, images, poses):
    mean, log_var, decoded = batch_step(net, grid, images, poses)
    loss = reconstruction_loss(decoded, images, mean, log_var)
    return mean.detach().cpu().numpy(), loss.item()


def describe_batch(grid, images, poses):
    # hands the grid and the data on, no network: nothing here is a forward
    return grid.shape, images.shape, poses.shape


def embed_all(net, grid, loader):
    net.eval()
    codes, losses = [], []
    for images, poses in loader:  # expect: NG001
        code, loss = embed_batch(net, grid, images, poses)
        codes.append(code)
        losses.append(loss)
    return codes, sum(losses) / len(losses)


def embed_all_without_graphs(net, grid, loader):
    net.eval()
    codes = []
    with torch.no_grad():
        for images, poses in loader:
            code, _ = embed_batch(net, grid, images, poses)
            codes.append(code)
    return codes


def shapes(grid, loader):
    return [describe_batch(grid, images, poses) for images, poses in loader]
