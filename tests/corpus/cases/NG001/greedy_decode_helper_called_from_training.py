# corpus: NG001
"""A course script prints a greedy translation every few training steps. The helper has no
evaluation-like name and the training loop calls it, but it hands back only a string: the decode
loop's graph (chained through `hidden` over every step) dies unused. A sampling check builds its
own probe network under a name with no network word; the value model knows it is a module. A
loss computed from outputs made under `no_grad` is no forward of a network."""
import torch
from torch import nn

decoder = nn.GRU(8, 8)
readout = nn.Linear(8, 26)
optimizer = torch.optim.SGD(list(decoder.parameters()) + list(readout.parameters()), lr=0.1)


def translate(steps=30):
    hidden = torch.zeros(1, 1, 8)
    token = torch.zeros(1, 1, 8)
    text = ""
    for _ in range(steps):  # expect: NG001
        output, hidden = decoder(token, hidden)
        text += chr(97 + int(readout(output[0]).argmax()))
    return text


def test_probe():
    scratch = nn.GRU(8, 8)
    hidden = torch.zeros(1, 1, 8)
    norms = []
    for _ in range(5):  # expect: NG001
        output, hidden = scratch(torch.randn(1, 1, 8), hidden)
        norms.append(output.norm().item())
    return norms


def test_loss(batches, targets):
    # A loss module holds no parameters: its call on outputs made under no_grad records nothing.
    criterion_fn = nn.CrossEntropyLoss(ignore_index=-100)
    total = 0.0
    for batch, target in zip(batches, targets):
        with torch.no_grad():
            logits = readout(decoder(batch)[0])
        total += criterion_fn(logits.flatten(0, 1), target.flatten()).item()
    return total


for step in range(100):
    output, _ = decoder(torch.randn(4, 1, 8))
    loss = readout(output).logsumexp(-1).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 10 == 0:
        print(translate())
