"""Parse source into a libcst module, without libcst's per-node validation.

Every libcst node validates itself when it is constructed (``CSTNode.__post_init__`` calls
``_validate``), which is for trees built by hand: a tree the native parser builds from source is
valid by construction. libcst notes the cost itself ("It might make more sense to ... avoid
validating the tree when parsing a file"); it is 15-20 % of a parse, and the parse is most of a
cold run. So the linter's parse of a file skips it; every node built afterwards (fixes, edits)
is validated as usual. Where libcst's ``__post_init__`` is not the plain call of ``_validate`` we
expect, nothing is skipped.
"""

from __future__ import annotations

import threading

import libcst as cst
from libcst._nodes.base import CSTNode

_VALIDATING_POST_INIT = CSTNode.__dict__.get("__post_init__")
# Skip only what we know: a body that does nothing but call self._validate().
_SKIPPABLE = _VALIDATING_POST_INIT is not None and getattr(
    getattr(_VALIDATING_POST_INIT, "__code__", None), "co_names", None) == ("_validate",)
# The skip swaps a class attribute: one parse at a time (the language server parses off its
# main thread).
_LOCK = threading.Lock()


def _without_validation(self: CSTNode) -> None:
    return None


def parse_module(source: str) -> cst.Module:
    """``libcst.parse_module(source)``, faster; raises what it raises."""
    if not _SKIPPABLE:
        return cst.parse_module(source)
    with _LOCK:
        CSTNode.__post_init__ = _without_validation
        try:
            return cst.parse_module(source)
        finally:
            CSTNode.__post_init__ = _VALIDATING_POST_INIT
