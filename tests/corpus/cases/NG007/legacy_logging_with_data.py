# corpus: NG007, NG003
"""Pre-0.4 style training code: .data only for logging, metrics and targets."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc = nn.Linear(16 * 4 * 4, 10)

    def forward(self, x):
        n = x.data.size(0)
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc(x.view(n, -1))


def train(model, loader, optimizer, log_every=100):
    correct = 0
    for step, (data, target) in enumerate(loader):
        output = model(data)
        loss = F.nll_loss(F.log_softmax(output, dim=1), target.data)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pred = output.data.max(1, keepdim=True)[1]
        correct += pred.eq(target.data.view_as(pred)).cpu().sum()
        if step % log_every == 0:
            print(f"step {step} loss {loss.data.item():.4f}")
    return correct
