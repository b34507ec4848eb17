# corpus: NG007
"""A tagger over packed sequences: the LSTM returns a PackedSequence (first element of its
tuple), and its `.data` is the namedtuple field holding the packed output, history intact.
The stacked layers are picked from a ModuleList by index."""
import torch
from torch import nn
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence


class PackedTagger(nn.Module):
    def __init__(self, dims, n_tags):
        super().__init__()
        self.rnns = nn.ModuleList([nn.LSTM(dims, dims, batch_first=True) for _ in range(2)])
        self.out = nn.Linear(dims, n_tags)

    def forward(self, x, lengths):
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        for i in range(len(self.rnns)):
            h, _ = self.rnns[i](packed)
            packed = PackedSequence(h.data + packed.data, packed.batch_sizes,
                                    packed.sorted_indices, packed.unsorted_indices)
        states, _ = self.rnns[0](packed)
        states = states.data
        return self.out(states)
