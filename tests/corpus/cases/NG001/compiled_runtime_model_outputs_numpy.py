# corpus: NG001
"""Validation of an exported model: a runtime-compiled model (OpenVINO, ONNX Runtime) returns
NumPy arrays that the loop turns into tensors with `torch.from_numpy`, so no autograd runs. The
same file validates the original torch model with grad on, which records graphs for nothing."""
import torch


def validate_exported(compiled_model, loader):
    scores = []
    for batch in loader:
        outputs = compiled_model(batch["image"].numpy())
        scores.append(torch.from_numpy(outputs["pred_score"]).squeeze())
    return torch.cat(scores)


def validate_original(model, loader):
    scores = []
    for batch in loader:  # expect: NG001
        outputs = model(batch["image"])
        scores.append(outputs["pred_score"].squeeze().cpu())
    return torch.cat(scores)
