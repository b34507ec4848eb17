# corpus: NG001
# The same attribute holds a volatile Variable for testing and a plain one for training, and one
# `forward` serves both: what it computes from the attribute may be trained through.
import torch
from torch.autograd import Variable


class Runner(object):
    def __init__(self, net, criterion):
        self.net, self.criterion = net, criterion

    def set_train_input(self, x):
        self.input = Variable(x)

    def set_test_input(self, x):
        self.input = Variable(x, volatile=True)

    def forward(self):
        self.output = self.net(self.input)

    def train_step(self, target, optimizer):
        self.forward()
        loss = self.criterion(self.output, target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
