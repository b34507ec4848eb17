# corpus: NG001
# The test script runs every image through the generator with grad on: each output keeps its
# graph until the next image replaces it, for nothing.
import torch

from test_model import TestModel


def run_inference(opt, dataset):
    model = TestModel(opt)
    images = []
    for batch in dataset:  # expect: NG001
        model.set_input(batch)
        images.append(model.test().cpu())
    return torch.cat(images)


def shapes(opt, dataset):
    model = TestModel(opt)
    out = []
    for batch in dataset:
        model.set_input(batch)
        out.append(model.paths())
    return out
