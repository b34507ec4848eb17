# corpus: NG001
"""A full-batch script: the test report runs the layer in eval mode with grad on, and only
prints numbers."""
import torch

from .layers import EdgeAttention

feats = torch.randn(6, 4)
adj = (torch.rand(6, 6) > 0.5).float()
net = EdgeAttention(4)


def report():
    net.eval()
    out = net(feats, adj)  # expect: NG001
    print("mean activation", out.mean().item())


def report_quietly():
    net.eval()
    with torch.no_grad():
        out = net(feats, adj)
    print("mean activation", out.mean().item())
