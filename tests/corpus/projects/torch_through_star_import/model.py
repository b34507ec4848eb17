# corpus: NG001
"""A character RNN; scripts beside it take everything, torch included, through a star import."""
import torch
import torch.nn as nn
from torch.autograd import Variable


class CharRNN(nn.Module):
    def __init__(self, n_chars, hidden, n_classes):
        super().__init__()
        self.hidden = hidden
        self.step_in = nn.Linear(n_chars + hidden, hidden)
        self.step_out = nn.Linear(n_chars + hidden, n_classes)

    def forward(self, x, h):
        both = torch.cat((x, h), 1)
        return torch.log_softmax(self.step_out(both), dim=1), torch.tanh(self.step_in(both))

    def empty_hidden(self):
        return Variable(torch.zeros(1, self.hidden))
