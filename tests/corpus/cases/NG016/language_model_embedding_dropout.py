# corpus: NG016
"""An LSTM language model drops out its embeddings and its LSTM outputs with the functional API,
giving only the probability: perplexity measured after `model.eval()` is computed with half the
units zeroed, and changes from run to run."""
import torch.nn.functional as F
from torch import nn


class RNNLanguageModel(nn.Module):
    def __init__(self, vocab, dim, p=0.5):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.rnn = nn.LSTM(dim, dim, batch_first=True)
        self.decoder = nn.Linear(dim, vocab)
        self.p = p

    def forward(self, tokens, hidden=None):
        emb = F.dropout(self.embed(tokens), self.p)  # expect: NG016
        out, hidden = self.rnn(emb, hidden)
        out = F.dropout(out, p=self.p)  # expect: NG016
        return self.decoder(out), hidden
