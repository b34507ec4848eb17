# corpus: NG001
# The base class's `__call__` runs `self.predict(...)`, once under `no_grad` when asked to and
# once with the caller's grad mode; instances of any subclass are called.
import torch


class Component:
    def __call__(self, *args, quiet=False, **kwargs):
        if quiet:
            with torch.no_grad():
                return self.predict(*args, **kwargs)
        return self.predict(*args, **kwargs)

    def predict(self, *args, **kwargs):
        raise NotImplementedError
