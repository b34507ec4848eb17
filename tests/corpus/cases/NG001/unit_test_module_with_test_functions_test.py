# corpus: NG001
"""A pytest module (its name ends in `_test.py` and it defines `test_*` functions): a test that
runs a model over a few inputs checks behaviour; its loop is no evaluation code to optimise."""
import torch
from torch import nn


def test_outputs_are_finite():
    model = nn.Linear(4, 2)
    model.eval()
    for x in torch.randn(3, 5, 4):
        assert torch.isfinite(model(x)).all()
