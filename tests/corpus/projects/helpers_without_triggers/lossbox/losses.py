# corpus: NG003
"""Loss helpers. No grad-mode call appears in this file, so the linter parses it only because
the training loop's findings ask what these functions return."""
import torch
import torch.nn.functional as F


def alignment(a, b):
    """A loss with its graph, though not named like one."""
    return F.cosine_embedding_loss(a, b, torch.ones(len(a)))


def sparsity(activations, weight):
    """A tensor with its argument's graph, or the float 0.0 when the penalty is off."""
    if weight == 0:
        return 0.0
    return weight * activations.abs().mean()


def accuracy(logits, y):
    """A Python float."""
    return (logits.argmax(1) == y).float().mean().item()
