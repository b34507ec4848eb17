# corpus: NG010
# Adapter set-up: freeze everything, re-enable the norms and add adapters, then a blanket
# unfreeze left over from debugging makes the whole backbone train again.
import torch
from torch import nn


def add_adapters(backbone: nn.Module, rank: int) -> nn.Module:
    backbone.requires_grad_(False)
    for pname, weight in backbone.named_parameters():
        if "norm" in pname:
            weight.requires_grad = True
    attach_low_rank(backbone, rank)
    print(sum(w.numel() for w in backbone.parameters() if w.requires_grad))
    backbone.requires_grad_(True)  # expect: NG010
    return backbone


def partial_thaw(net):
    for pname, weight in net.named_parameters():
        weight.requires_grad = pname.startswith("classifier")
    for weight in net.parameters():  # expect: NG010
        weight.requires_grad = True


def two_phases(net, loader, epochs):
    # Phase one trains only the head; phase two fine-tunes everything: the blanket unfreeze
    # comes after the first phase's optimizer and steps.
    net.requires_grad_(False)
    for pname, weight in net.named_parameters():
        if pname.startswith("head"):
            weight.requires_grad = True
    opt = torch.optim.SGD([w for w in net.parameters() if w.requires_grad], lr=0.1)
    for x, y in loader:
        opt.zero_grad()
        nn.functional.mse_loss(net(x), y).backward()
        opt.step()
    net.requires_grad_(True)
    return net


def choose(net, adapters_only):
    if adapters_only:
        net.requires_grad_(False)
        for pname, weight in net.named_parameters():
            if "adapter" in pname:
                weight.requires_grad = True
    else:
        net.requires_grad_(True)
    return net


def toggle(encoder, batch):
    # A temporary freeze for an input gradient, then everything back: no selection is undone.
    encoder.requires_grad_(False)
    batch.requires_grad_(True)
    encoder(batch).sum().backward()
    encoder.requires_grad_(True)
    return batch.grad
