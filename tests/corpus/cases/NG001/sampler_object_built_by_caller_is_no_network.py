# corpus: NG001
"""`predict` runs whatever `prompt_generator` its caller hands it, and the file's only call hands
it a `PromptGenerator`: a plain class that samples points with NumPy, whose call records nothing.
Its name alone would make it a network; what it is built from says otherwise."""
import numpy as np
import torch  # noqa: F401  (the predictor is a torch model)


class PromptGenerator:
    def __init__(self, n_points=1):
        self.n_points = n_points

    def __call__(self, segmentation):
        return np.argwhere(segmentation)[: self.n_points]


def predict(loader, prompt_generator, predictor):
    for x, y in loader:
        points = prompt_generator(segmentation=y.numpy())
        predictor.predict(points)


def run(loader, predictor):
    prompt_generator = PromptGenerator(n_points=2)
    predict(loader, prompt_generator, predictor)
