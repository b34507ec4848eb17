# corpus: NG001
"""Two predictors over the same checkpoint. The first calls Lightning's `freeze()` after `eval()`:
every parameter stops requiring grad, so its forward records no graph. The second only switches
to eval mode: each prediction records the whole model's graph for a list of floats."""
import torch

from model import ColaModel


class ColaPredictor:
    def __init__(self, model_path):
        self.model = ColaModel.load_from_checkpoint(model_path)
        self.model.eval()
        self.model.freeze()
        self.softmax = torch.nn.Softmax(dim=0)

    def predict(self, ids):
        logits = self.model(torch.tensor([ids]))
        return self.softmax(logits[0]).tolist()


class EvalOnlyPredictor:
    def __init__(self, model_path):
        self.model = ColaModel.load_from_checkpoint(model_path)
        self.model.eval()
        self.softmax = torch.nn.Softmax(dim=0)

    def predict(self, ids):
        logits = self.model(torch.tensor([ids]))  # expect: NG001
        return self.softmax(logits[0]).tolist()
