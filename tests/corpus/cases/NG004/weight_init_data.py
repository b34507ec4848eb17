# corpus: NG004, NG007
"""DCGAN weight initialisation through .data and nn.init."""
import torch.nn as nn


def weights_init(m):
    classname = m.__class__.__name__
    if classname.find("Conv") != -1:
        m.weight.data.normal_(0.0, 0.02)
    elif classname.find("BatchNorm") != -1:
        m.weight.data.normal_(1.0, 0.02)
        m.bias.data.fill_(0)


def reset_head(model):
    for p in model.head.parameters():
        p.data.zero_()
    nn.init.trunc_normal_(model.head.weight, std=0.02)


class Generator(nn.Module):
    def __init__(self, nz=100, ngf=64):
        super().__init__()
        self.main = nn.Sequential(nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False), nn.Tanh())
        self.apply(weights_init)

    def forward(self, z):
        return self.main(z)
