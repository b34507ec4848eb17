# corpus: NG001
"""PaddlePaddle: its layers have `.eval()` and `paddle.no_grad()`; torch's rule does not apply."""
import paddle


def evaluate(net, loader):
    net.eval()
    return [net(x) for x in loader]
