# corpus: NG005, NG006, NG009
"""A request handler that means to enter inference mode by calling __enter__ on a guard it drops:
the guard is collected at once, so inference mode ends on the same line (NG006, not a leak)."""
import torch


class Predictor:
    def __init__(self, model, labels):
        self.model = model.eval()
        self.labels = labels

    def __call__(self, batch):
        torch.inference_mode().__enter__()  # expect: NG006
        logits = self.model(batch)
        top = logits.softmax(-1).topk(3, dim=-1)
        return [[self.labels[i] for i in row] for row in top.indices.tolist()]
