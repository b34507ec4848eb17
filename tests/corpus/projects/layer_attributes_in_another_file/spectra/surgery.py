# corpus: NG004
"""Model surgery on layers built from classes of another file. Swapping a kernel in a module
list or refilling a buffer is no update of a parameter; scaling a real parameter in place with
grad on raises."""
import torch

from .layers import ModalConv, ScaledConv, WindowedConv, ModeKernel


def swap_kernels(width, modes):
    conv = ModalConv(width, modes)
    for i in range(modes):
        conv.weight[i] = ModeKernel(width)
    conv.bias.zero_()
    return conv


def inherit_and_swap(width):
    conv = WindowedConv(width, 2)
    conv.weight[0] = ModeKernel(width)
    return conv


def rescale(width):
    layer = ScaledConv(width)
    layer.weight.mul_(0.5)  # expect: NG004
    return layer
