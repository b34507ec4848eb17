# corpus: NG005, NG009
"""A request handler that enters inference mode by calling __enter__ and never leaves it."""
import torch


class Predictor:
    def __init__(self, model, labels):
        self.model = model.eval()
        self.labels = labels

    def __call__(self, batch):
        torch.inference_mode().__enter__()  # expect: NG005
        logits = self.model(batch)
        top = logits.softmax(-1).topk(3, dim=-1)
        return [[self.labels[i] for i in row] for row in top.indices.tolist()]
