# corpus: NG001
"""A multi-task trainer validates each task in a helper named like validation: its loop calls the
trainer's own `_forward`, which runs the model, and reads the loss through a utility whose name
mentions an attribute (no gradients there). A second helper's per-batch method disables grad
itself."""
import torch


def get_output_attribute(out, name):
    return out[name]


class MultiTaskTrainer:
    def __init__(self, model):
        self._model = model

    def _forward(self, batch, task=None):
        return self._model.forward(task, batch)

    @torch.no_grad()
    def _score(self, batch, task=None):
        return self._model.forward(task, batch)

    def _calculate_validation_performance(self, task, batches):
        total = 0.0
        for batch in batches:  # expect: NG001
            out = self._forward(batch, task=task)
            total += get_output_attribute(out, "loss").item()
        return total

    def _calculate_validation_scores(self, task, batches):
        return [get_output_attribute(self._score(batch, task=task), "loss").item() for batch in batches]
