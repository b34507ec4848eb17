# corpus: NG012
"""Per-block sensitivity scores: each block is replayed in eval mode and backpropagated to
read the gradient at its input, and the parameter gradients are thrown away. Nothing updates
parameters anywhere, so there is no training that eval mode could spoil."""
import torch


def block_sensitivities(blocks, inputs, upstream):
    scores = []
    for block, x in zip(reversed(blocks), reversed(inputs)):
        x = x.detach().requires_grad_(True)
        block.eval()
        out = block(x)
        torch.autograd.backward(out, grad_tensors=upstream)
        upstream = x.grad.detach()
        scores.append(upstream.abs().mean().item())
        for p in block.parameters():
            p.grad = None
    return scores
