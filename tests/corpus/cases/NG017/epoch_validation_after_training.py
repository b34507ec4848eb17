# corpus: NG017
# Each epoch trains, then scores the validation set under no_grad without switching to eval mode.
import torch
import torch.nn as nn


class Classifier(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(n_in, 64), nn.BatchNorm1d(64), nn.ReLU())
        self.head = nn.Linear(64, n_out)

    def forward(self, x):
        return self.head(self.body(x))


def run(train_loader, val_loader, epochs=10):
    net = Classifier(32, 10)
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    for epoch in range(epochs):
        net.train()
        for x, y in train_loader:
            opt.zero_grad()
            nn.functional.cross_entropy(net(x), y).backward()
            opt.step()
        correct = 0
        with torch.no_grad():
            for x, y in val_loader:
                correct += (net(x).argmax(1) == y).sum().item()  # expect: NG017
        print(epoch, correct)
