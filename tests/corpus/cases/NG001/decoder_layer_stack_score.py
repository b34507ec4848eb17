# corpus: NG001
# A one-step `score` method walks the decoder's own layer stack (zip with the per-layer states):
# that loop is one forward pass, layer by layer, not a loop over batches. The search that calls
# it decides the grad mode. A batch loop around a layer loop is still an evaluation loop.
import torch
from torch import nn


class TransducerDecoder(nn.Module):
    def __init__(self, vocab, dim, layers):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.decoders = nn.ModuleList(nn.TransformerEncoderLayer(dim, 4) for _ in range(layers))

    def score(self, labels, states):
        out = self.embed(labels)
        new_states = []
        for state, decoder in zip(states, self.decoders):
            out = decoder(out if state is None else torch.cat([state, out], 0))
            new_states.append(out)
        return out[-1], new_states

    def batch_score(self, labels):
        out = self.embed(labels)
        for decoder in self.decoders:
            out = decoder(out)
        return out

    def evaluate(self, loader):
        self.eval()
        scores = []
        for labels in loader:  # expect: NG001
            out = self.embed(labels)
            for decoder in self.decoders:
                out = decoder(out)
            scores.append(out.mean().item())
        return scores
