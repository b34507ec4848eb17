# corpus: NG017
# The project's models module: the network class and the factory the scripts build it with
# (the class reads the mode through its batch norm).
import torch.nn as nn


class VGGCounter(nn.Module):
    def __init__(self, features):
        super().__init__()
        self.features = features
        self.density = nn.Sequential(nn.Conv2d(64, 1, 1), nn.BatchNorm2d(1), nn.ReLU())

    def forward(self, x):
        return self.density(self.features(x))


def make_layers(channels):
    return nn.Sequential(nn.Conv2d(3, channels, 3, padding=1), nn.ReLU())


def vgg19():
    model = VGGCounter(make_layers(64))
    return model
