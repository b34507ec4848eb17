# corpus: NG005
"""Home-made grad-mode context managers: one leaks on exceptions, one restores in finally (correct)."""
import contextlib
import functools

import torch


@contextlib.contextmanager
def frozen_grad():
    prev = torch.is_grad_enabled()
    torch.set_grad_enabled(False)  # expect: NG005
    yield
    torch.set_grad_enabled(prev)


@contextlib.contextmanager
def grad_mode(enabled: bool):
    prev = torch.is_grad_enabled()
    torch.set_grad_enabled(enabled)
    try:
        yield
    finally:
        torch.set_grad_enabled(prev)


def no_grad_method(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with torch.no_grad():
            return fn(*args, **kwargs)
    return wrapper


class Evaluator:
    def __init__(self, model):
        self.model = model

    def start(self):
        self._guard = torch.no_grad()
        self._guard.__enter__()

    def stop(self):
        self._guard.__exit__(None, None, None)

    def run(self, loader):
        torch.no_grad().__enter__()  # expect: NG005
        return [self.model(x).argmax(-1) for x in loader]
