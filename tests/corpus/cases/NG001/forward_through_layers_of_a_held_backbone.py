# corpus: NG001
"""A speaker-embedding model holds a backbone and calls the backbone's layers one by one in its
own `forward` (`self.model.conv1(x)`), never the backbone itself. The layer is a torch module
with weights that the backbone's `__init__` builds, so the forward records a graph all the same.
The test loop puts the model in eval mode and runs it with grad on: every batch's graph is built
for distances that are read as numbers."""
import torch
import torch.nn as nn


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Linear(8, 16)


class SpeakerModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.model = Backbone()

    def forward(self, x):
        return self.model.conv1(x)


def test(loader, model):
    model.eval()
    distances = []
    for anchor, positive in loader:  # expect: NG001
        out_a, out_p = model(anchor), model(positive)
        distances.append((out_a - out_p).norm(dim=1).data.cpu().tolist())
    return distances


def main():
    model = SpeakerModel()
    test([(torch.randn(2, 8), torch.randn(2, 8))], model)


if __name__ == "__main__":
    main()
