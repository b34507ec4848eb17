# corpus: NG005, NG006
"""Grad-mode switches inside test fixtures and context-manager classes (correct), one decorator that leaks (bug)."""
import contextlib
import functools
import unittest

import torch


class GradDisabled:
    def __enter__(self):
        self.prev = torch.is_grad_enabled()
        torch.set_grad_enabled(False)
        return self

    def __exit__(self, *exc):
        torch.set_grad_enabled(self.prev)
        return False


class TestFrozenInference(unittest.TestCase):
    def setUp(self):
        torch.set_grad_enabled(False)

    def tearDown(self):
        torch.set_grad_enabled(True)

    def test_shapes(self):
        x = torch.randn(2, 3)
        self.assertFalse((x * 2).requires_grad)


def run_in_eval_mode(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        torch.set_grad_enabled(False)  # expect: NG005
        out = fn(*args, **kwargs)
        torch.set_grad_enabled(True)
        return out
    return wrapper


def batched_features(model, batches, use_grad=False):
    with contextlib.ExitStack() as stack:
        if not use_grad:
            stack.enter_context(torch.no_grad())
        return [model(b) for b in batches]


def make_predict(model):
    return torch.inference_mode()(model.forward)


def rnn_chunks(model, chunks, hidden):
    outs = []
    for chunk in chunks:
        out, hidden = model(chunk, hidden)
        hidden.detach_()
        outs.append(out)
    return outs, hidden
