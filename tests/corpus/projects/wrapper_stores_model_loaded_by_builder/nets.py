# corpus: NG017
"""An encoder with dropout, and the builders a project makes it with: one restores a checkpoint
through a helper when it is given one, the other only builds."""
import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(8, 8), nn.Dropout(0.1), nn.Linear(8, 4))

    def forward(self, x):
        return self.body(x)


class Pair(nn.Module):
    """Two encoders and a tokenizer; `embed_pixels` is a method that switches to eval mode itself."""

    def __init__(self):
        super().__init__()
        self.text = Encoder()
        self.image = Encoder()
        self.tokenizer = make_tokenizer()

    def embed_pixels(self, pixels):
        self.eval()
        return self.image(pixels)


def make_tokenizer():
    return lambda ids: ids.float()


def restore(model, path):
    state = torch.load(path, map_location="cpu")
    model.load_state_dict(state["model"])
    return model


def build_encoder(weights=""):
    model = Encoder()
    if weights:
        model = restore(model, weights)
    return model


def build_pair(weights):
    return restore(Pair(), weights)


def fresh_encoder():
    return Encoder()


def frozen_encoder(weights):
    model = restore(Encoder(), weights)
    model.eval()
    return model
