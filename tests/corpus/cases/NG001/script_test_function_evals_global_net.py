# corpus: NG001
# A training script with a module-level network: a test-only branch evaluates it at module level,
# and the per-epoch `test` puts it in eval mode itself before its loop, so that loop evaluates
# whatever `train` did to the mode before.
import sys

import torch
import torch.nn as nn

net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
test_only = "--test" in sys.argv
loader = [(torch.randn(8, 1, 28, 28), torch.randint(0, 10, (8,))) for _ in range(4)]

if test_only:
    net.eval()
    hits = 0
    for inputs, targets in loader:  # expect: NG001
        hits += (net(inputs).argmax(1) == targets).sum().item()
    print(hits)
    sys.exit(0)


def train(epoch):
    net.train()
    for inputs, targets in loader:
        optimizer.zero_grad()
        loss = criterion(net(inputs), targets)
        loss.backward()
        optimizer.step()


def test(epoch):
    net.eval()
    correct = 0
    for inputs, targets in loader:  # expect: NG001
        correct += (net(inputs).argmax(1) == targets).sum().item()
    print(epoch, correct)


for epoch in range(3):
    train(epoch)
    test(epoch)
