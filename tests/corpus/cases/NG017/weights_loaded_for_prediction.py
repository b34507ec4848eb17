# corpus: NG017
# A prediction script loads trained weights and predicts with dropout still active.
import sys

import torch
import torch.nn as nn


class Tagger(nn.Module):
    def __init__(self, vocab, dim, tags):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.rnn = nn.LSTM(dim, dim, num_layers=2, dropout=0.3, batch_first=True)
        self.out = nn.Linear(dim, tags)

    def forward(self, tokens):
        return self.out(self.rnn(self.embed(tokens))[0])


tagger = Tagger(5000, 128, 17)
tagger.load_state_dict(torch.load(sys.argv[1], map_location="cpu"))
tokens = torch.tensor([[4, 8, 15, 16, 23, 42]])
with torch.no_grad():
    tags = tagger(tokens).argmax(-1)  # expect: NG017
print(tags.tolist())
