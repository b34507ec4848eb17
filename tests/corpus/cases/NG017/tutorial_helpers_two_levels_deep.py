# corpus: NG017
"""A translation tutorial trains through two levels of helpers (`train_iters` runs the epochs,
`train_pair` takes one optimizer step) and then evaluates through two more (`show_samples` calls
`translate`, which decodes under `no_grad`). Nothing ever calls `.eval()`: the decoder's dropout
stays on for every sample shown, and the same happens in the quick check that follows, where a
method of the decoder's own class (`init_hidden`, which switches no mode) runs first. The encoder
check at the end follows its `.eval()` and is fine."""
import random

import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self, vocab, hidden):
        super().__init__()
        self.hidden = hidden
        self.embed = nn.Embedding(vocab, hidden)
        self.gru = nn.GRU(hidden, hidden)

    def forward(self, token, h):
        return self.gru(self.embed(token).view(1, 1, -1), h)

    def init_hidden(self):
        return torch.zeros(1, 1, self.hidden)


class Decoder(nn.Module):
    def __init__(self, hidden, vocab, dropout_p=0.1):
        super().__init__()
        self.hidden = hidden
        self.embed = nn.Embedding(vocab, hidden)
        self.drop = nn.Dropout(dropout_p)
        self.gru = nn.GRU(hidden, hidden)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, token, h):
        x = self.drop(self.embed(token).view(1, 1, -1))
        y, h = self.gru(x, h)
        return torch.log_softmax(self.out(y[0]), dim=1), h

    def init_hidden(self):
        return torch.zeros(1, 1, self.hidden)


def train_pair(src, tgt, encoder, decoder, enc_opt, dec_opt, criterion):
    enc_opt.zero_grad()
    dec_opt.zero_grad()
    h = encoder.init_hidden()
    for token in src:
        _, h = encoder(token, h)
    loss = 0
    token = torch.tensor([[0]])
    for target in tgt:
        logp, h = decoder(token, h)
        loss = loss + criterion(logp, target.view(1))
        token = target.view(1, 1)
    loss.backward()
    enc_opt.step()
    dec_opt.step()
    return loss.item() / len(tgt)


def train_iters(encoder, decoder, pairs, n_iters, lr=0.01):
    enc_opt = torch.optim.SGD(encoder.parameters(), lr=lr)
    dec_opt = torch.optim.SGD(decoder.parameters(), lr=lr)
    criterion = nn.NLLLoss()
    for _ in range(n_iters):
        src, tgt = random.choice(pairs)
        train_pair(src, tgt, encoder, decoder, enc_opt, dec_opt, criterion)


def translate(encoder, decoder, src, max_length=10):
    with torch.no_grad():
        h = encoder.init_hidden()
        for token in src:
            _, h = encoder(token, h)
        token, words = torch.tensor([[0]]), []
        for _ in range(max_length):
            logp, h = decoder(token, h)  # expect: NG017
            token = logp.argmax(1).view(1, 1)
            words.append(int(token))
        return words


def show_samples(encoder, decoder, pairs, n=3):
    for src, _ in random.sample(pairs, n):
        print(translate(encoder, decoder, src))


pairs = [(torch.randint(0, 20, (5, 1, 1)), torch.randint(0, 20, (4,))) for _ in range(8)]
encoder = Encoder(20, 16)
decoder = Decoder(16, 20)
train_iters(encoder, decoder, pairs, 50)
show_samples(encoder, decoder, pairs)

with torch.no_grad():
    h0 = decoder.init_hidden()
    first, _ = decoder(torch.tensor([[0]]), h0)  # expect: NG017

encoder.eval()
with torch.no_grad():
    state = encoder(torch.tensor([[1]]), encoder.init_hidden())
