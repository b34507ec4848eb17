# corpus: NG001
"""Loss helpers of a survival model: the public loss dispatches on the distribution to a
private helper that runs the model's forward."""
import torch


def _weibull_nll(model, x, t, event, risk):
    shape, scale = model.forward(x, risk)
    return -(event * (torch.log(shape) - scale * t)).mean()


def conditional_loss(model, x, t, event, risk="1"):
    if model.dist == "Weibull":
        return _weibull_nll(model, x, t, event, risk)
    raise NotImplementedError(model.dist)
