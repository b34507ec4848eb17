"""pytest-nograd: run-time grad-mode checks for PyTorch test suites.

Importing this package never imports torch; the functions import it when called.
"""
from .asserts import (
    Comparison,
    ModeRun,
    assert_frozen,
    assert_grads_flow,
    assert_no_graph,
    assert_requires_grad,
    assert_same_predictions,
    assert_trainable,
)
from .compare import compare_modes
from .findings import Finding, GradModeWarning
from .measure import Measurements, MemoryBudgetExceeded, budget, track
from .torchload import TorchMissingError

__all__ = [
    "Comparison",
    "Finding",
    "GradModeWarning",
    "Measurements",
    "MemoryBudgetExceeded",
    "ModeRun",
    "TorchMissingError",
    "assert_frozen",
    "assert_grads_flow",
    "assert_no_graph",
    "assert_requires_grad",
    "assert_same_predictions",
    "assert_trainable",
    "budget",
    "compare_modes",
    "track",
]
