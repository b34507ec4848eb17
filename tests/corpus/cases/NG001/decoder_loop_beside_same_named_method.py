# corpus: NG001
"""Two networks of one project both define `predict`. The translator's `predict` is a greedy
decoding loop run with grad on (each step chains the recurrent state's graph); the tagger's
`predict(x)` is differentiable and its training loop backpropagates through it, reaching it
through an untyped `model`. The training call passes one argument, which the translator's
`predict(state, cell, steps)` cannot take, so it does not make the decoding loop training code."""
import torch
from torch import nn


class Translator(nn.Module):
    def __init__(self, vocab, dims):
        super().__init__()
        self.embed = nn.Embedding(vocab, dims)
        self.cell = nn.LSTMCell(dims, dims)
        self.out = nn.Linear(dims, vocab)

    def predict(self, state, cell, steps):
        token = torch.zeros(state.size(0), dtype=torch.long)
        tokens = []
        for _ in range(steps):  # expect: NG001
            state, cell = self.cell(self.embed(token), (state, cell))
            token = self.out(state).argmax(-1)
            tokens.append(token)
        return torch.stack(tokens, 1)


class Tagger(nn.Module):
    def __init__(self, dims, tags):
        super().__init__()
        self.proj = nn.Linear(dims, tags)

    def predict(self, x):
        return self.proj(x)


def train_tagger(model, batches, optimizer):
    for x, y in batches:
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model.predict(x), y)
        loss.backward()
        optimizer.step()
