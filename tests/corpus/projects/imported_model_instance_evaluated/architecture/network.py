# corpus: NG001
"""The network and the one instance the whole project shares."""
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 10))

    def forward(self, x):
        return self.body(x.flatten(1)).log_softmax(-1)


model = Net()
