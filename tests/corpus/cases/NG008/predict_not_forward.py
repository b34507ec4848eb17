# corpus: NG008, NG001
"""no_grad on predict/generate helpers of a trainable model, never on forward."""
import torch
from torch import nn


class CharRNN(nn.Module):
    def __init__(self, vocab, dim=256):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.rnn = nn.GRU(dim, dim, batch_first=True)
        self.out = nn.Linear(dim, vocab)

    def forward(self, ids, state=None):
        h, state = self.rnn(self.embed(ids), state)
        return self.out(h), state

    @torch.no_grad()
    def generate(self, prompt, steps=100, temperature=1.0):
        ids, state = prompt, None
        for _ in range(steps):
            logits, state = self(ids[:, -1:], state)
            next_id = torch.multinomial((logits[:, -1] / temperature).softmax(-1), 1)
            ids = torch.cat([ids, next_id], 1)
        return ids

    @torch.no_grad()
    def predict(self, ids):
        return self(ids)[0].argmax(-1)
