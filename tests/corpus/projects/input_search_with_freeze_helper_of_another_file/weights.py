# corpus: NG015
import torch


def lock_weights(net: torch.nn.Module):
    for w in net.parameters():
        w.requires_grad = False


def release_weights(net: torch.nn.Module):
    for w in net.parameters():
        w.requires_grad = True
