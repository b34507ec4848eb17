# corpus: NG001
"""A script that encodes a dataset into latents for a separate codec: it never switches modes or
names an evaluation, but every output is detached into numpy and nothing backpropagates. The
only hint in its text that a graph is dropped is `.detach()`."""
import numpy as np
import torch

from codec.models import build_encoder


def export(images, checkpoint, path):
    encoder = build_encoder()
    encoder.load_state_dict(torch.load(checkpoint))
    codes = []
    for image in images:  # expect: NG001
        x = torch.tensor(np.asarray(image, dtype="float32") / 255.0).permute(2, 0, 1)
        y = encoder(x.unsqueeze(0))
        codes.append(np.round(y.cpu().detach().numpy()))
    np.save(path, np.concatenate(codes))
