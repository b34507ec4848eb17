# corpus: NG007
# A recurrent block accepts a tensor or a PackedSequence; under `isinstance(x, PackedSequence)`
# `x.data` is the sequence's field, which keeps its autograd history. The block below it reads
# `h.data` of a tensor and assigns it back: the earlier layers get no gradient through it.
from typing import Union

import torch
from torch.nn.utils.rnn import PackedSequence


class GatedRNN(torch.nn.Module):
    def __init__(self, n_in, n_hidden, n_out):
        super().__init__()
        self.rnn = torch.nn.LSTM(n_in, n_hidden)
        self.linear = torch.nn.Linear(n_hidden, n_out)

    def forward(self, x: Union[torch.Tensor, PackedSequence]) -> torch.Tensor:
        x, _ = self.rnn(x)
        if isinstance(x, PackedSequence):
            x = x.data
        return self.linear(x)


class Block(torch.nn.Module):
    def __init__(self, n):
        super().__init__()
        self.inner = torch.nn.Linear(n, n)
        self.outer = torch.nn.Linear(n, n)

    def forward(self, x):
        h = self.inner(x)
        h = h.data  # expect: NG007
        return self.outer(h)
