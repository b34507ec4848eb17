# corpus: NG001
"""Out-of-distribution scoring: the helper calls detectors, annotated with the project's base
class; one subclass perturbs the input along the gradient of the model's confidence, so the
scoring loop needs gradients. Scoring with the bare model is a plain evaluation."""
import torch


class Detector:
    def __call__(self, x):
        return self.score(x)

    def score(self, x):
        raise NotImplementedError


class InputPerturbation(Detector):
    def __init__(self, model, eps=0.002):
        self.model, self.eps = model, eps

    def score(self, x):
        x = x.clone().requires_grad_(True)
        confidence = self.model(x).softmax(-1).max(-1).values.sum()
        (grad,) = torch.autograd.grad(confidence, x)
        with torch.no_grad():
            return self.model(x + self.eps * grad.sign()).softmax(-1).max(-1).values


def evaluate_detector(detector: Detector, loader):
    return torch.cat([detector(x) for x, _ in loader])


def evaluate_model(model, loader):
    model.eval()
    return torch.cat([model(x).max(-1).values for x, _ in loader])  # expect: NG001
