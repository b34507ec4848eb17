# corpus: NG001
# A factory picks the generator architecture from a name.
import torch


class ResnetGenerator(torch.nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.body = torch.nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self, x):
        return x + self.body(x)


def define_generator(kind, channels):
    if kind == "resnet":
        return ResnetGenerator(channels)
    raise ValueError(kind)
