# corpus: NG001
"""A script either trains (one branch) or tests a saved network (the other) at module level. The
test branch scores every test name with gradients on and keeps only the guessed category; it never
calls `.eval()` (the training branch's names do not reach it). The training loop's forwards reach
its backward pass."""
import sys

import torch

from data import pairs, to_tensor
from model import CharRNN

if sys.argv[1] == "train":
    net = CharRNN()
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    for name, label in pairs("train"):
        output = net(to_tensor(name))
        loss = torch.nn.functional.cross_entropy(output, label)
        opt.zero_grad()
        loss.backward()
        opt.step()
    torch.save(net, "net.pth")
else:
    net = torch.load("net.pth")
    correct = 0
    for name, label in pairs("test"):  # expect: NG001
        output = net(to_tensor(name))
        correct += int(output.argmax(1).item() == label)
    print(correct)
