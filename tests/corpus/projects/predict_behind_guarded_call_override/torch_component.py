# corpus: NG001
# The torch components override `__call__` with `@torch.no_grad()` and reach the base's through
# `super().__call__`: their `predict` runs with grad off when called the documented way. A plain
# component (`LookupTagger`, below) gets the base's `__call__`, with grad on.
import torch

from component import Component


class TorchComponent(Component):
    def __init__(self, model):
        self.model = model

    @torch.no_grad()
    def __call__(self, *args, **kwargs):
        return super().__call__(*args, **kwargs)


class Parser(TorchComponent):
    def predict(self, batches):
        self.model.eval()
        return [self.model(batch).argmax(-1).tolist() for batch in batches]


class LookupTagger(Component):
    def __init__(self, model):
        self.model = model

    def predict(self, batches):
        self.model.eval()
        return [self.model(batch).argmax(-1).tolist() for batch in batches]  # expect: NG001
