# corpus: NG001
"""A detector's explain step registers forward hooks through a context manager named for
explanations, then runs every test batch: the hooks only record activations, nothing
differentiates, so the loop records a graph per batch for nothing. The name of the manager says
nothing about gradients; a helper called for a gradient-based map is another matter."""
import torch


class Explainer:
    def __init__(self, hook_cls):
        self.explainer_hook = hook_cls

    def explain(self, model, loader):
        model.eval()
        detections = []
        with self.explainer_hook(model.backbone) as recorder:
            for batch in loader:  # expect: NG001
                detections.extend(model(**batch))
            maps = recorder.records
        return detections, maps

    def explain_by_gradients(self, model, loader, compute_saliency):
        model.eval()
        maps = []
        for batch in loader:
            maps.append(compute_saliency(model, batch))
        return maps
