# corpus: NG001
"""Entry points read as text (no grad-mode word here): each builds a predictor and trains it, and
each may hand over to the other; nothing in the project calls them, so they run with grad on."""
from predictor import model as models


def rank_candidates(net, data, others=None):
    p = models.Predictor(net)
    p.fit(data["train"], data["val"], data["test"])
    if others is not None:
        return screen_library(net, others)
    return p.predict(data["candidates"])


def screen_library(net, library, data=None):
    p = models.Predictor(net)
    if data is not None:
        return rank_candidates(net, data)
    return p.predict(library)
