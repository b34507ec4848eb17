# corpus: NG001
"""A speaker encoder embeds a recording window by window through a method of its own, calling
`self(chunk)`: the embeddings are detached into numpy at once, so each window's forward records a
graph nothing uses. Its `fit` method runs `self(x)` too, but that loss is backpropagated."""
import numpy as np
import torch
from torch import nn


class SpeakerEncoder(nn.Module):
    def __init__(self, n_mels=40, dim=64):
        super().__init__()
        self.rnn = nn.GRU(n_mels, dim, batch_first=True)

    def forward(self, mels):
        out, _ = self.rnn(mels)
        return out[:, -1]

    def embed_windows(self, windows):
        vectors = []
        for window in windows:  # expect: NG001
            emb = self(torch.as_tensor(window).unsqueeze(0))
            vectors.append(emb.detach().cpu().numpy())
        return np.concatenate(vectors)

    def fit(self, batches, optimizer):
        for mels, target in batches:
            loss = (self(mels) - target).pow(2).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
