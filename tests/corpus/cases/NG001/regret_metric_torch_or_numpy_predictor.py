# corpus: NG001
"""A metric that scores either a torch model (under `no_grad`) or a plain NumPy/JAX predictor passed
under the same parameter: the second branch hands the predictor NumPy arrays and turns its output
into an array at once, which a torch module's forward would neither take nor allow with a graph.
Nothing to report there; the loop that runs the torch model without `no_grad` is reported."""
import numpy as np
import torch


def regret(predmodel, loader):
    torch_model = predmodel if isinstance(predmodel, torch.nn.Module) else None
    losses = []
    for x, c in loader:
        if torch_model is not None:
            with torch.no_grad():
                cp = torch_model(x)
        else:
            cp = torch.as_tensor(np.array(predmodel(x.numpy()), dtype=np.float32))
        losses.append(float(((cp - c) ** 2).mean()))
    return sum(losses) / len(losses)


def regret_unprotected(predmodel, loader):
    predmodel.eval()
    losses = []
    for x, c in loader:  # expect: NG001
        cp = predmodel(x)
        losses.append(float(((cp - c) ** 2).mean()))
    return sum(losses) / len(losses)
