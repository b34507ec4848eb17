# corpus: NG007
"""A hand-written LSTM over sorted variable-length batches: the hidden state is rebuilt from `.data` each step, so finished sequences lose their gradient."""
import torch
from torch import nn


class MaskedLstm(nn.Module):
    def __init__(self, input_size, hidden_size):
        super().__init__()
        self.hidden_size = hidden_size
        self.cell = nn.LSTMCell(input_size, hidden_size)

    def forward(self, inputs, lengths):
        # inputs: (batch, time, features), sorted by decreasing length
        batch, steps, _ = inputs.shape
        hidden = inputs.new_zeros(batch, self.hidden_size)
        memory = inputs.new_zeros(batch, self.hidden_size)
        outputs = inputs.new_zeros(batch, steps, self.hidden_size)
        for t in range(steps):
            n = int((lengths > t).sum())
            h, c = self.cell(inputs[:n, t], (hidden[:n].clone(), memory[:n].clone()))
            hidden = hidden.data.clone()  # expect: NG007
            memory = memory.data.clone()  # expect: NG007
            hidden[:n] = h
            memory[:n] = c
            outputs[:n, t] = h
        return outputs, (hidden, memory)
