# corpus: NG001
"""A script defines its sampling helper first and builds the networks further down, as scripts
do. The helper's loop runs the global decoder and keeps only characters: evaluation with
gradients on. A name bound below to a function of the file is not a network."""
import torch
from torch import nn


def sample(length=40):
    state = torch.zeros(1, 1, 16)
    text = []
    for _ in range(length):  # expect: NG001
        output, state = decoder(torch.zeros(1, 1, 16), state)
        text.append(int(output.argmax()))
    return text


def smooth(values):
    out = []
    for v in values:
        out.append(scorer_network(v))
    return out


def scorer_network(v):
    return v * 0.5


decoder = nn.GRU(16, 16)
optimizer = torch.optim.Adam(decoder.parameters())
for step in range(10):
    output, _ = decoder(torch.randn(5, 1, 16))
    output.pow(2).mean().backward()
    optimizer.step()
print(sample(), smooth([1.0, 2.0]))
