# corpus: NG006, NG001
"""Prediction helper that calls inference_mode() as a statement: nothing is disabled, so the
forward of the model it put in eval mode records a graph that nothing uses."""
import torch


def predict_proba(model, x):
    model.eval()
    torch.inference_mode()  # expect: NG006
    return model(x).softmax(dim=-1)  # expect: NG001
