# corpus: NG005, NG001, NG006
"""Grad mode switched by hand, restored in finally (correct)."""
import torch


def embed_corpus(encoder, batches):
    prev = torch.is_grad_enabled()
    torch.set_grad_enabled(False)
    try:
        encoder.eval()
        return torch.cat([encoder(b) for b in batches])
    finally:
        torch.set_grad_enabled(prev)


def score(model, x):
    try:
        torch.set_grad_enabled(False)
        return model(x).softmax(-1)
    finally:
        torch.set_grad_enabled(True)
