# corpus: NG001
"""The evaluation loops call the objects their caller built. `prompt_generator` is a NumPy sampler
(calling it records nothing), whatever its name says, and the predictor it feeds is a library's
that turns grad off itself; `encoder` is a network of the project, run with grad on and only its
NumPy copy kept."""
import numpy as np
import torch
from prompts import MaskEncoder, PointPromptGenerator


def predict(loader, prompt_generator, predictor):
    for _, mask in loader:
        points = prompt_generator(mask.numpy())
        predictor.predict(points)


def _collect_features(loader, encoder):
    features = []
    for x, _ in loader:  # expect: NG001
        features.append(encoder(x).detach().numpy())
    return np.concatenate(features)


def run(loader, width, predictor):
    prompt_generator = PointPromptGenerator(n_points=4)
    encoder = MaskEncoder(width)
    encoder.eval()
    predict(loader, prompt_generator, predictor)
    return _collect_features(loader, encoder)  # expect: NG001
