# corpus: NG009
"""A scorer traces its network the first time it runs, inside `inference_mode`, and keeps the
traced module on the object. `torch.jit.trace` builds a module, not a tensor: its weights are the
network's own parameters, so nothing inference-only escapes. The scores it keeps are a tensor
made in the block: that one does escape."""
import torch


class Scorer:
    def __init__(self, net):
        self.net = net
        self.compiled = None
        self.last = None

    def score(self, x):
        with torch.inference_mode():
            if self.compiled is None:
                self.compiled = torch.jit.trace(self.net, (x,))
            self.last = self.compiled(x).softmax(-1)  # expect: NG009
            return self.last.argmax(-1).tolist()
