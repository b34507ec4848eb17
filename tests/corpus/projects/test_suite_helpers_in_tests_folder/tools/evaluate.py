# corpus: NG001
# An evaluation tool of the same repository, outside the test folder: checked.
import torch


def evaluate(model, batches):
    model.eval()
    return [model(b).argmax(-1).tolist() for b in batches]  # expect: NG001
