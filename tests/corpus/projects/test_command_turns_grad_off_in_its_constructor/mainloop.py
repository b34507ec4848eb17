# corpus: NG001
# The training loop's validation evaluates under `no_grad`.
import torch

from model import NMT


def validate(net: NMT, loader):
    net.train(False)
    with torch.no_grad():
        return net.test_performance(loader)
