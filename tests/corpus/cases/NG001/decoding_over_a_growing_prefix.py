# corpus: NG001
"""A model's own sampling method decodes one position at a time, feeding the decoder the prefix
sampled so far (`tokens[:, :i]`): each step records a graph that stays alive through the
decoder's incremental state until the method returns, and only sampled indices are kept. (Its `embed` runs under no_grad.)"""
import torch
import torch.nn.functional as F
from torch import nn


class Designer(nn.Module):
    def __init__(self, encoder, decoder, mask_idx):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder
        self.mask_idx = mask_idx

    @torch.no_grad()
    def embed(self, coords):
        return self.encoder(coords)

    def sample(self, coords, length, temperature=1.0):
        tokens = torch.full((1, 1 + length), self.mask_idx, dtype=torch.long)
        state = {}
        memory = self.encoder(coords)
        for i in range(1, length + 1):  # expect: NG001
            logits, _ = self.decoder(tokens[:, :i], memory, incremental_state=state)
            probs = F.softmax(logits[0].transpose(0, 1) / temperature, dim=-1)
            tokens[:, i] = torch.multinomial(probs, 1).squeeze(-1)
        return tokens[0, 1:]
