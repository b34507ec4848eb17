# corpus: NG001
"""An evaluation helper of the same project, in a file that does not import torch: the model it is
given is put in eval mode and run over the loader with gradients on, and only numpy copies of
the predictions are kept. The encoders' `_fit` methods compute statistics; they do not make every
module of the project a trainer."""
import numpy as np


def evaluate(model, loader):
    model.eval()
    preds = []
    for x, y in loader:  # expect: NG001
        preds.append(model(x).detach().cpu().numpy())
    return np.concatenate(preds)
