# corpus: NG001
# Context managers named like grad switches. `eval_mode` only flips the modules' train flag;
# `no_grad_unless` and `Frozen` really switch grad off, so the loops under them are fine.
import contextlib

import torch


class eval_mode:
    def __init__(self, *models):
        self.models = models

    def __enter__(self):
        self.previous = [m.training for m in self.models]
        for m in self.models:
            m.train(False)

    def __exit__(self, *args):
        for m, state in zip(self.models, self.previous):
            m.train(state)
        return False


class eval_mode_logged(eval_mode):
    def __enter__(self):
        print("evaluating")
        return super().__enter__()


@contextlib.contextmanager
def no_grad_unless(flag):
    previous = torch.is_grad_enabled()
    torch.set_grad_enabled(flag)
    try:
        yield
    finally:
        torch.set_grad_enabled(previous)


class FrozenMode:
    def __enter__(self):
        self.guard = torch.no_grad()
        self.guard.__enter__()

    def __exit__(self, *args):
        self.guard.__exit__(*args)
