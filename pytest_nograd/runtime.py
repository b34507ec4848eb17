"""Process-wide state shared by the meters and the sanitizer.

Two things need to be global because torch calls our hooks and modes without any
context: which file is the running test's (to point messages at the user's line), and
whether the plugin is currently running one of its own measurements (which must never
produce findings, e.g. the grad-enabled run inside ``assert_same_predictions``).
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Iterator, Optional, Tuple

_PKG_DIR = os.path.dirname(os.path.abspath(__file__))


class _State:
    test_file: Optional[str] = None
    own_depth: int = 0


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


def _is_library(filename: str) -> bool:
    if filename.startswith(_PKG_DIR):
        return True
    parts = filename.replace("\\", "/").split("/")
    return any(p in ("torch", "_pytest", "pluggy", "importlib", "contextlib.py", "xdist") for p in parts) or (
        filename.startswith("<")
    )


def user_location(skip: int = 1) -> Tuple[Optional[str], Optional[int]]:
    """(filename, lineno) of the running test's own code that led to this call.

    Prefers the innermost frame in the test's file; otherwise the innermost frame that
    is not torch, pytest or this plugin (a helper module of the user's).
    """
    frame = sys._getframe(skip)
    fallback: Tuple[Optional[str], Optional[int]] = (None, None)
    test_file = state.test_file
    while frame is not None:
        fn = frame.f_code.co_filename
        if test_file is not None and fn == test_file:
            return fn, frame.f_lineno
        if fallback[0] is None and not _is_library(fn):
            fallback = (fn, frame.f_lineno)
        frame = frame.f_back
    return fallback
