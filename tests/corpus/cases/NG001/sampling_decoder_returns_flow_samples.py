# corpus: NG001
"""A forecasting network's sampling decoder unrolls its RNN step by step and draws each step's
values from a normalising flow it was given, conditioned on the RNN's projected output. What the
flow's `sample` returns is unknown here (an object the caller passes), and torch.cat of those
samples is returned: the samples may carry the RNN's graph to a caller that trains through them."""
import torch
import torch.nn as nn


class SamplingNetwork(nn.Module):
    def __init__(self, flow, hidden=32, target_dim=8):
        super().__init__()
        self.rnn = nn.LSTM(target_dim, hidden, batch_first=True)
        self.proj = nn.Linear(hidden, target_dim)
        self.flow = flow

    def sampling_decoder(self, past, steps):
        state = None
        future = []
        inputs = past[:, -1:]
        for _ in range(steps):
            out, state = self.rnn(inputs, state)
            cond = self.proj(out)
            samples = self.flow.sample(cond=cond)
            future.append(samples)
            inputs = samples
        return torch.cat(future, dim=1)
