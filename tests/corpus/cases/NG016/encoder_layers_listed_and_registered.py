# corpus: NG016
"""An autoencoder that keeps its layers in plain lists for iteration, but registers each one with
`add_module` as it builds it: `eval()` reaches them through the registration. The decoder's
layers are only listed, so `eval()` never reaches their dropout."""
from torch import nn


class Layer(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.linear = nn.Linear(width, width)
        self.drop = nn.Dropout(0.2)

    def forward(self, x):
        return self.drop(self.linear(x))


class AutoEncoder(nn.Module):
    def __init__(self, width, depth):
        super().__init__()
        self.encoder = []
        self.decoder = []  # expect: NG016
        for i in range(depth):
            layer = Layer(width)
            self.encoder.append(layer)
            self.add_module(f"encoder_{i}", layer)
        for i in range(depth):
            layer = Layer(width)
            self.decoder.append(layer)

    def forward(self, x):
        for layer in self.encoder:
            x = layer(x)
        for layer in self.decoder:
            x = layer(x)
        return x
