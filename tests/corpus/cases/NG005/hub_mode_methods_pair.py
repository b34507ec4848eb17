# corpus: NG005
"""A model hub's interface documents `eval()` as "eval mode, gradients off" and `train()` as the
way back: a pair of methods whose one job is setting opposite modes, like `__enter__` and
`__exit__`. The `embed` helper, which switches gradients off around real work and never turns
them back on if the forward raises, is what the rule is for."""
import torch


class HubInterface:
    def __init__(self, model):
        self.model = model

    def train(self):
        """Sets the model to train mode and enables gradient calculation."""
        torch.autograd.set_grad_enabled(True)
        self.model.train()

    def eval(self):
        """Sets the model to eval mode and disables gradient calculation."""
        torch.autograd.set_grad_enabled(False)
        self.model.eval()

    def embed(self, batch):
        torch.set_grad_enabled(False)  # expect: NG005
        features = self.model(batch)
        torch.set_grad_enabled(True)
        return features
