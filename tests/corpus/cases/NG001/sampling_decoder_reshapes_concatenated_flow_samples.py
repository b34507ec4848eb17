# corpus: NG001
"""A multivariate forecaster builds its normalising flow from a class it is given and, in its
sampling decoder, unrolls the RNN one step at a time, draws the step's values from the flow
conditioned on the projected RNN output, concatenates them and returns the result reshaped. A
tensor method of the concatenation keeps its history: the samples may carry the RNN's graph to the
caller, so the loop is no evaluation the function can judge."""
import torch
import torch.nn as nn


class ForecastNetwork(nn.Module):
    def __init__(self, flow_cls, target_dim=8, hidden=32, samples=100):
        super().__init__()
        self.rnn = nn.LSTM(target_dim, hidden, batch_first=True)
        self.proj = nn.Linear(hidden, target_dim)
        self.flow = flow_cls(target_dim, cond_size=target_dim)
        self.samples = samples
        self.target_dim = target_dim

    def distr_args(self, rnn_outputs):
        return self.proj(rnn_outputs)

    def sampling_decoder(self, past, steps):
        future = []
        state = None
        inputs = past[:, -1:]
        for _ in range(steps):
            rnn_outputs, state = self.rnn(inputs, state)
            distr_args = self.distr_args(rnn_outputs=rnn_outputs)
            new_samples = self.flow.sample(cond=distr_args)
            future.append(new_samples)
            inputs = new_samples
        samples = torch.cat(future, dim=1)
        return samples.reshape((-1, self.samples, steps, self.target_dim))
