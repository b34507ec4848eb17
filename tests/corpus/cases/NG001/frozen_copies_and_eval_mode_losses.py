# corpus: NG001
"""Three loops that look like evaluation with gradients on, none of which records a graph nobody
needs. The continual learner keeps a frozen copy of its previous network (`copy().freeze()`), so the
distillation targets come from parameters that require no grad. The domain-adaptation step freezes
the feature extractor with a helper and a keyword flag before the old `volatile=True` forward. The
mode-connectivity loss runs the network in eval mode over a loader and hands the summed loss back to
a caller that backpropagates it: `no_grad` there would make that `backward()` raise."""
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.autograd import Variable


class IncrementalNet(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.fc = nn.Linear(32, classes)

    def forward(self, x):
        return self.fc(x)

    def copy(self):
        return copy.deepcopy(self)

    def freeze(self):
        for p in self.parameters():
            p.requires_grad = False
        self.eval()
        return self


class ICaRL:
    def __init__(self):
        self._network = IncrementalNet()
        self._old_network = None

    def after_task(self):
        self._old_network = self._network.copy().freeze()

    def train_task(self, loader, optimizer):
        self._network.train()
        for inputs, targets in loader:
            logits = self._network(inputs)
            old = torch.sigmoid(self._old_network(inputs).detach())
            loss = F.binary_cross_entropy_with_logits(logits, old)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


def set_requires_grad(model, requires_grad=True):
    for param in model.parameters():
        param.requires_grad = requires_grad


def critic_steps(loader, feature_extractor, critic, optimizer):
    for x in loader:
        set_requires_grad(feature_extractor, requires_grad=False)
        x = Variable(x, volatile=True)
        h = feature_extractor(x).data.view(x.shape[0], -1)
        loss = critic(h).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


class ModeConnectivity:
    def point_loss(self, net, loader):
        net.eval()
        total = 0.0
        for inputs, targets in loader:
            total += F.mse_loss(net(inputs), targets)
        return total / len(loader)

    def line_gradient(self, net, loader):
        net.zero_grad()
        loss = self.point_loss(net, loader)
        loss.backward()
        return [p.grad.clone() for p in net.parameters()]
