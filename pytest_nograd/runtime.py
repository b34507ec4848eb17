"""Process-wide state shared by the meters and the sanitizer.

Two things need to be global because torch calls our hooks and modes without any
context: which file is the running test's (to point messages at the user's line), and
whether the plugin is currently running one of its own measurements (which must never
produce findings, e.g. the grad-enabled run inside ``assert_same_predictions``). A third,
the running test's list of mode comparisons, is here so that ``compare_modes`` (called
from user code, with no handle on the test) can record into it for the reports.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Dict, Iterator, List, Optional, Tuple


class _State:
    test_file: Optional[str] = None
    own_depth: int = 0
    # The running test's record of mode comparisons (plain dicts), None outside a test:
    # compare_modes appends here so the reports can chart every comparison a test made.
    comparisons: Optional[List[Dict[str, Any]]] = None


state = _State()


@contextmanager
def own_measurement() -> Iterator[None]:
    """Mark a region as the plugin's own work: sanitizer hooks and no_graph stay quiet."""
    state.own_depth += 1
    try:
        yield
    finally:
        state.own_depth -= 1


def suppressed() -> bool:
    return state.own_depth > 0


def user_location(skip: int = 1) -> Tuple[Optional[str], Optional[int]]:
    """(filename, lineno) of the running test's own code that led to this call.

    Prefers the innermost frame in the test's file; otherwise the innermost frame that
    is not torch, pytest, this plugin, the standard library or an installed library (a
    helper module of the user's). File classification is cached (see locate.py).
    """
    from .locate import user_location as _locate

    return _locate(skip + 1, state.test_file)
