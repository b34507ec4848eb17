# corpus: NG001, NG005
# A test-only command object turns gradients off for the whole process when it is built (NG005
# reports the unscoped switch); its `test` method then evaluates with grad off.
import torch

from model import NMT


class Tester:
    def __init__(self, model_file):
        torch.set_grad_enabled(False)  # expect: NG005
        self.instance = NMT()
        self.instance.load_state_dict(torch.load(model_file))

    def test(self, loader):
        return self.instance.test_performance(loader)
