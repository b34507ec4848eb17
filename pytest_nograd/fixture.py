"""The ``nograd`` fixture: the assertion and measurement functions as one object."""
from __future__ import annotations

from . import asserts, compare, measure


class Nograd:
    """What the ``nograd`` fixture returns; the same functions as ``pytest_nograd``'s."""

    assert_requires_grad = staticmethod(asserts.assert_requires_grad)
    assert_frozen = staticmethod(asserts.assert_frozen)
    assert_trainable = staticmethod(asserts.assert_trainable)
    assert_no_graph = staticmethod(asserts.assert_no_graph)
    assert_grads_flow = staticmethod(asserts.assert_grads_flow)
    assert_same_predictions = staticmethod(asserts.assert_same_predictions)
    compare_modes = staticmethod(compare.compare_modes)
    track = staticmethod(measure.track)
    budget = staticmethod(measure.budget)
