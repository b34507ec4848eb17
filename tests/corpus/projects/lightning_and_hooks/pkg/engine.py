# corpus: NG001
"""An in-house training framework: `eval_step` is always called under torch.no_grad()."""
import torch


class Engine:
    def __init__(self, model):
        self.model = model

    def eval_step(self, batch):
        raise NotImplementedError

    def validate(self, loader):
        self.model.eval()
        with torch.no_grad():
            return [self.eval_step(batch) for batch in loader]
