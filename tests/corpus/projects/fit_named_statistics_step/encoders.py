# corpus: NG001
"""Input encoders of a tabular foundation model: a step either implements `_forward`, or `_fit`
(statistics of the training rows, no gradients) and `_transform`. The names say "fit", but no
`_fit` here trains anything: none hands back a value nor a loss to a step it is given."""
import torch
from torch import nn


class SeqEncStep(nn.Module):
    def _forward(self, *x):
        raise NotImplementedError()

    def _fit(self, *x, single_eval_pos=None):
        raise NotImplementedError

    def _transform(self, *x, single_eval_pos=None):
        raise NotImplementedError

    def forward(self, state, cache=False, **kwargs):
        args = [state[k] for k in self.in_keys]
        if hasattr(self, "_fit"):
            if kwargs["single_eval_pos"] or not cache:
                self._fit(*args, **kwargs)
            out = self._transform(*args, **kwargs)
        else:
            out = self._forward(*args, **kwargs)
        state.update(dict(zip(self.out_keys, out)))
        return state


class NormalizeStep(SeqEncStep):
    def _fit(self, x, single_eval_pos=None):
        with torch.no_grad():
            self.mean = x[:single_eval_pos].mean(0)
            self.std = x[:single_eval_pos].std(0) + 1e-6

    def _transform(self, x, single_eval_pos=None):
        return ((x - self.mean) / self.std,)
