# corpus: NG006, NG003
"""Truncated backpropagation through time; the hidden state is meant to be detached between chunks."""
import torch
import torch.nn as nn


def train_lm(model: nn.LSTM, decoder, data, optimizer, bptt=35, batch_size=20):
    criterion = nn.CrossEntropyLoss()
    hidden = None
    for i in range(0, data.size(0) - 1, bptt):
        x, y = data[i:i + bptt], data[i + 1:i + 1 + bptt]
        if hidden is not None:
            for h in hidden:
                h.detach()  # expect: NG006
        output, hidden = model(x, hidden)
        loss = criterion(decoder(output).view(-1, decoder.out_features), y.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 0.25)
        optimizer.step()
