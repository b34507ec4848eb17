# corpus: NG005
"""Tests that switch grad mode in fixtures and set-up methods (the teardown restores it)."""
import unittest

import pytest
import torch


@pytest.fixture
def grad_disabled():
    torch.set_grad_enabled(False)
    yield
    torch.set_grad_enabled(True)


def test_forward_has_no_graph(grad_disabled):
    x = torch.ones(2, requires_grad=True)
    assert (x * 2).grad_fn is None


class TestInference(unittest.TestCase):
    def setUp(self):
        torch.set_grad_enabled(False)

    def tearDown(self):
        torch.set_grad_enabled(True)

    def test_no_grad_fn(self):
        self.assertIsNone((torch.ones(1, requires_grad=True) + 1).grad_fn)
