# corpus: NG017
"""A crowd-counting test script builds its network through factory functions, as research code
often does (`model = vgg19()`), loads the checkpoint and predicts under `no_grad` without ever
calling `.eval()`: the density head's batch norm still uses each test image's own statistics. The
second factory returns its network already in eval mode, and the third builds a network without
layers that read the mode: neither is reported."""
import torch
import torch.nn as nn


class DensityNet(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, width, 3, padding=1), nn.ReLU())
        self.head = nn.Sequential(nn.Conv2d(width, 1, 1), nn.BatchNorm2d(1), nn.ReLU())

    def forward(self, x):
        return self.head(self.features(x))


class PlainNet(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, width, 3, padding=1), nn.ReLU(), nn.Conv2d(width, 1, 1))

    def forward(self, x):
        return self.body(x)


def vgg_density(width=16):
    model = DensityNet(width)
    return model


def vgg_density_for_inference(path):
    model = DensityNet()
    model.load_state_dict(torch.load(path))
    return model.eval()


def plain_density():
    return PlainNet()


def count_people(checkpoint, images):
    model = vgg_density()
    model.load_state_dict(torch.load(checkpoint))
    counts = []
    for image in images:
        with torch.no_grad():
            counts.append(model(image).sum().item())  # expect: NG017
    return counts


def count_people_ready(checkpoint, images):
    model = vgg_density_for_inference(checkpoint)
    with torch.no_grad():
        return [model(image).sum().item() for image in images]


def count_people_plain(checkpoint, images):
    model = plain_density()
    model.load_state_dict(torch.load(checkpoint))
    with torch.no_grad():
        return [model(image).sum().item() for image in images]
