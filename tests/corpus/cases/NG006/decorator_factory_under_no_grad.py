# corpus: NG006
"""A small trainer library builds its step wrappers with decorator factories. The author put
`@torch.no_grad()` on the factory itself: it only defines the wrapper and returns it, so gradients
are off while the class body is being decorated and on again whenever a validation batch runs. The
prediction factory gets it right by decorating the wrapper it returns; the timing factory's grad
mode decorator wraps real work (it runs the model once to warm up) and does what it says."""
import time
from functools import wraps

import torch


@torch.no_grad()  # expect: NG006
def validate(step):
    """Run a validation step without gradients."""

    @wraps(step)
    def _validate_batch(self, *args, **kwargs):
        outputs = step(self, *args, **kwargs)
        self.log_metrics(outputs)
        return outputs

    return _validate_batch


def predict(step):
    @wraps(step)
    @torch.no_grad()
    def _predict(self, *args, **kwargs):
        return step(self, *args, **kwargs)

    return _predict


@torch.inference_mode()
def timed(model, example):
    model(example)  # warm-up pass

    def run(batch):
        start = time.perf_counter()
        out = model(batch)
        return out, time.perf_counter() - start

    return run


class Capsule(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Linear(4, 2)

    def log_metrics(self, outputs):
        self.last = {k: float(v) for k, v in outputs.items()}

    @validate
    def validate_batch(self, x, y):
        return {"loss": torch.nn.functional.cross_entropy(self.net(x), y)}

    @predict
    def predict_batch(self, x):
        return self.net(x).argmax(1)
