"""Where a module call came from, cheaply: the sanitizer's forward hook runs on every
module call, so everything here is built to return fast for the common case.

* Frames are classified per file, once (a dict lookup afterwards): *tool* frames (torch,
  pytest, pluggy, this plugin, the standard library) are skipped, *library* frames
  (site-packages / dist-packages) are remembered, the rest is the user's *project*.
* :func:`outermost_call` answers "is this module call nested in another module's call?"
  by looking a few frames up for ``nn.Module._call_impl``; only for an outermost call
  does it walk further, and it stops at the test's own file.
"""
from __future__ import annotations

import os
import sys
import sysconfig
from dataclasses import dataclass
from typing import Any, Dict, Optional

_PKG_DIR = os.path.dirname(os.path.abspath(__file__))
TOOL, LIBRARY, PROJECT = 0, 1, 2
_TOOL_PARTS = {"torch", "torchgen", "functorch", "_pytest", "pytest", "pluggy", "xdist", "execnet", "importlib"}
_LIB_PARTS = {"site-packages", "dist-packages"}
_kind_cache: Dict[str, int] = {}
_PATHS = sysconfig.get_paths()
_STDLIB = tuple({os.path.realpath(p) for p in (_PATHS.get("stdlib"), _PATHS.get("platstdlib")) if p})


def file_kind(filename: str) -> int:
    kind = _kind_cache.get(filename)
    if kind is None:
        kind = _kind_cache[filename] = _classify(filename)
    return kind


def _classify(filename: str) -> int:
    if filename.startswith("<") or filename.startswith(_PKG_DIR):
        return TOOL
    parts = filename.replace("\\", "/").split("/")
    lib = next((i for i, p in enumerate(parts) if p in _LIB_PARTS), None)
    if lib is not None:
        # torch and pytest live in site-packages too: those are tools, not libraries.
        return TOOL if lib + 1 < len(parts) and parts[lib + 1] in _TOOL_PARTS else LIBRARY
    if any(p in _TOOL_PARTS for p in parts):
        return TOOL
    real = os.path.realpath(filename)
    if _STDLIB and real.startswith(_STDLIB):
        return TOOL
    return PROJECT


@dataclass
class CallSite:
    """Where an outermost module call came from."""

    project: Optional[tuple] = None  # (filename, lineno): innermost frame of the user's project
    library: Optional[tuple] = None  # innermost library frame, when the call ran inside a library
    test: Optional[tuple] = None  # the line in the running test's file


_call_impl_code: Any = None
_NEST_LOOKUP = 12  # frames between a submodule's _call_impl and its parent's, in practice 3-6


def _is_optimized_module_call(frame: Any) -> bool:
    # torch.compile(module) wraps the module in an OptimizedModule whose call contains
    # the original module's call: that wrapper is transparent, not a parent module.
    # Recognised by code object (OptimizedModule.__call__ two frames up), not by reading
    # frame locals, which would cost more than the rest of the hook.
    dynamo = sys.modules.get("torch._dynamo.eval_frame")
    cls = getattr(dynamo, "OptimizedModule", None) if dynamo is not None else None
    if cls is None:
        return False
    up = frame.f_back
    for _ in range(3):
        if up is None:
            return False
        if up.f_code is cls.__call__.__code__:
            return True
        up = up.f_back
    return False


def outermost_call(start: Any, test_file: Optional[str], locate: bool = True) -> Optional[CallSite]:
    """None when the module call whose hook runs in ``start`` (the hook's caller)
    is nested in another module's call; else where it came from
    (all fields None when ``locate`` is false)."""
    global _call_impl_code
    if _call_impl_code is None:
        import torch

        _call_impl_code = torch.nn.Module._call_impl.__code__
    code = _call_impl_code
    # The hook is called from the module's own _call_impl (torch >= 2.x through a
    # nested ``inner`` function): start above that frame.
    own = start
    for _ in range(4):
        if own is None or own.f_code is code:
            break
        own = own.f_back
    if own is None or own.f_code is not code:
        own = start
    start = own
    frame = start.f_back
    depth = 0
    # Fast path: nested calls find their parent's _call_impl within a few frames.
    while frame is not None and depth < _NEST_LOOKUP:
        if frame.f_code is code and not _is_optimized_module_call(frame):
            return None
        frame = frame.f_back
        depth += 1
    site = CallSite()
    frame = start.f_back
    depth = 0
    while frame is not None:
        co = frame.f_code
        if co is code and depth >= _NEST_LOOKUP and not _is_optimized_module_call(frame):
            return None  # a deeply nested call (long helper chains inside a forward)
        depth += 1
        if locate:
            fn = co.co_filename
            if test_file is not None and fn == test_file:
                site.test = (fn, frame.f_lineno)
                if site.project is None:
                    site.project = site.test
                return site  # nothing above the test's own line matters
            kind = file_kind(fn)
            if kind == LIBRARY and site.library is None and site.project is None:
                site.library = (fn, frame.f_lineno)
            elif kind == PROJECT and site.project is None:
                site.project = (fn, frame.f_lineno)
        elif test_file is not None and co.co_filename == test_file:
            return site
        frame = frame.f_back
    return site


def user_location(skip: int = 1, test_file: Optional[str] = None):
    """(filename, lineno) of the running test's own line that led here, else of the
    innermost project frame (a helper module of the user's)."""
    frame = sys._getframe(skip)
    fallback = (None, None)
    while frame is not None:
        fn = frame.f_code.co_filename
        if test_file is not None and fn == test_file:
            return fn, frame.f_lineno
        if fallback[0] is None and file_kind(fn) == PROJECT:
            fallback = (fn, frame.f_lineno)
        frame = frame.f_back
    return fallback
