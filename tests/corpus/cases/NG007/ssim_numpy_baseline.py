# corpus: NG007
"""Classic image metrics as modules: `.data` goes out to numpy and the score comes back as a fresh tensor (correct)."""
import numpy as np
import torch
import torch.nn as nn
from torch.autograd import Variable
from skimage.metrics import structural_similarity

from . import imutils  # imutils.tensor2im(t) -> t[0].cpu().float().numpy() as uint8 HWC


class L2(nn.Module):
    def forward(self, in0, in1):
        value = imutils.l2(imutils.tensor2np(in0.data), imutils.tensor2np(in1.data), range=255.0).astype("float")
        return Variable(torch.Tensor((value,)))


class SSIMFeatures(nn.Module):
    def __init__(self, net: nn.Module):
        super().__init__()
        self.net = net

    def forward(self, in0, in1):
        f0 = imutils.tensor2im(self.net(in0).data)
        f1 = imutils.tensor2im(self.net(in1).data)
        value = structural_similarity(f0, f1, channel_axis=2, data_range=255).astype("float")
        out = torch.tensor((value,), dtype=torch.float32)
        return out.to(in0.device)
