# corpus: NG001
"""Prediction helpers that are fine: one returns the logits (a caller may train through them),
one is only ever called under `no_grad`, one disables gradients itself, and one samples a latent
that the caller optimises (the returned tensor carries the graph)."""
import torch
from torch import nn


def predict_logits(model, x):
    return model(x)


def predict_labels(model, x):
    return model(x).argmax(-1).tolist()


@torch.no_grad()
def predict_probs(model, x):
    return model(x).softmax(-1).numpy()


def sample_latent(decoder, z):
    return decoder(z)


def report(model, x):
    with torch.no_grad():
        print(predict_labels(model, x))


def fit(model, decoder, x, y, opt):
    loss = nn.functional.cross_entropy(predict_logits(model, x), y)
    loss = loss + sample_latent(decoder, torch.randn(4, 8)).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
