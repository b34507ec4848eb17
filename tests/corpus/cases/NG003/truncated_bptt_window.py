# corpus: NG003
"""Truncated backpropagation through time: each step's output joins a window that is stacked
into the loss, added to a running loss that is backpropagated every `k` steps, then reset. The
window's graph is exactly what backward needs. Keeping the outputs for a report is not."""
import torch


def train_truncated(net, sequences, optimizer, criterion, k):
    window, seen, pending = [], 0, 0
    for inputs, targets in sequences:
        for t in range(inputs.shape[0]):
            window.append(net(inputs[t]))
            seen += 1
            if seen == k:
                pending += criterion(torch.stack(window), targets)
                optimizer.zero_grad()
                pending.backward()
                optimizer.step()
                window, seen, pending = [], 0, 0


def train_and_record(net, sequences, optimizer, criterion):
    outputs = []
    for inputs, targets in sequences:
        out = net(inputs)
        loss = criterion(out, targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        outputs.append(out)  # expect: NG003
    return outputs
