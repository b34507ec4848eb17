"""Where a module call came from, cheaply: the sanitizer's forward hook runs on every
module call, so everything here is built to return fast for the common case.

* Frames are classified per file, once (a dict lookup afterwards): *tool* frames (torch,
  pytest, pluggy, this plugin, the standard library) are skipped, *library* frames
  (site-packages / dist-packages) are remembered, the rest is the user's *project*.
* :func:`outermost_call` answers "is this module call nested in another module's call?"
  by looking a few frames up for ``nn.Module._call_impl``; only for an outermost call
  does it walk further, and it stops at the test's own file. On the way it collects the
  project frames (the *chain*, innermost first) that the JSON report's run-time evidence
  is made of.
* :class:`SiteCache` remembers the answer per call site, so a module called in a loop
  by the test (directly or through a helper) costs one walk, not one per call.
"""
from __future__ import annotations

import os
import sys
import sysconfig
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

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


# (filename, lineno, qualified function name) of one frame.
Frame = Tuple[str, int, str]
MAX_CHAIN = 8  # project frames kept per chain, innermost first


@dataclass(eq=False)  # hashed by identity: the sanitizer counts calls per site object, cheaply
class CallSite:
    """Where an outermost module call came from."""

    project: Optional[tuple] = None  # (filename, lineno): innermost frame of the user's project
    library: Optional[Frame] = None  # innermost library frame, when the call ran inside a library
    test: Optional[tuple] = None  # the line in the running test's file
    # The project frames from the call up to (and including) the first one in the test's
    # file, innermost first, at most MAX_CHAIN.
    chain: Tuple[Frame, ...] = ()


# Python >= 3.12 runs these inside their function's frame (PEP 709); skipping their own
# frame on older versions gives the same chain everywhere (the enclosing frame follows,
# at the same line).
_INLINED_COMPREHENSIONS = frozenset({"<listcomp>", "<dictcomp>", "<setcomp>"})


def _qualname(code: Any) -> str:
    return getattr(code, "co_qualname", code.co_name)  # co_qualname: Python >= 3.11


_call_impl_code: Any = None
_wrapped_call_code: Any = None
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


def _own_call_impl(start: Any) -> Any:
    """The ``_call_impl`` frame of the module whose hook runs in ``start`` (the hook's
    caller; torch >= 2.x calls hooks from a nested ``inner`` function), else ``start``."""
    global _call_impl_code, _wrapped_call_code
    if _call_impl_code is None:
        import torch

        _call_impl_code = torch.nn.Module._call_impl.__code__
        wrapped = getattr(torch.nn.Module, "_wrapped_call_impl", None)
        _wrapped_call_code = getattr(wrapped, "__code__", None)
    code = _call_impl_code
    own = start
    for _ in range(4):
        if own is None or own.f_code is code:
            break
        own = own.f_back
    if own is None or own.f_code is not code:
        own = start
    return own


def outermost_call(start: Any, test_file: Optional[str], locate: bool = True) -> Optional[CallSite]:
    """None when the module call whose hook runs in ``start`` (the hook's caller)
    is nested in another module's call; else where it came from
    (all fields None when ``locate`` is false)."""
    start = _own_call_impl(start)
    code = _call_impl_code
    frame = start.f_back
    depth = 0
    # Fast path: nested calls find their parent's _call_impl within a few frames.
    while frame is not None and depth < _NEST_LOOKUP:
        if frame.f_code is code and not _is_optimized_module_call(frame):
            return None
        frame = frame.f_back
        depth += 1
    site = CallSite()
    chain: List[Frame] = []
    frame = start.f_back
    depth = 0
    while frame is not None:
        co = frame.f_code
        if co is code and depth >= _NEST_LOOKUP and not _is_optimized_module_call(frame):
            return None  # a deeply nested call (long helper chains inside a forward)
        depth += 1
        if locate:
            if _add_frame(frame, test_file, site, chain):
                break  # nothing above the test's own line matters
        elif test_file is not None and co.co_filename == test_file:
            return site
        frame = frame.f_back
    site.chain = tuple(chain)
    return site


def _add_frame(frame: Any, test_file: Optional[str], site: CallSite, chain: List[Frame]) -> bool:
    """Classify one frame of a walk up the stack into ``site`` and ``chain``; True once
    the walk has reached the running test's file."""
    co = frame.f_code
    if co.co_name in _INLINED_COMPREHENSIONS:
        return False
    fn = co.co_filename
    if test_file is not None and fn == test_file:
        site.test = (fn, frame.f_lineno)
        if site.project is None:
            site.project = site.test
        if len(chain) < MAX_CHAIN:
            chain.append((fn, frame.f_lineno, _qualname(co)))
        return True
    kind = file_kind(fn)
    if kind == LIBRARY and site.library is None and site.project is None:
        site.library = (fn, frame.f_lineno, _qualname(co))
    elif kind == PROJECT:
        if site.project is None:
            site.project = (fn, frame.f_lineno)
        if len(chain) < MAX_CHAIN:
            chain.append((fn, frame.f_lineno, _qualname(co)))
    return False


def project_chain(frame: Any, test_file: Optional[str]) -> CallSite:
    """Where a call whose innermost interesting frame is ``frame`` came from (the
    optimizer step hook's caller): project chain and library frame, as for a module call."""
    site = CallSite()
    chain: List[Frame] = []
    while frame is not None and not _add_frame(frame, test_file, site, chain):
        frame = frame.f_back
    site.chain = tuple(chain)
    return site


_SITE_CACHE_SIZE = 256


class SiteCache:
    """:func:`outermost_call` (with locating) remembered per call site.

    The key is the frame that called the module (its code and instruction). The answer
    is reused only while that call comes from the *same activation of the test function*
    at the same instruction, either directly (the test calls the model) or through one
    helper (the test calls ``evaluate()``, which calls the model): the test function's
    frame is alive for the whole test body and everything between it and the module call
    is then the same, so a walk would give the same answer. A model or helper called in a
    loop thus costs one walk. Deeper helper chains are walked on every call: caching them
    would mean holding helper frames, and with them their locals (tensors, models), past
    their return. Instructions (``f_lasti``), not lines: ``f_lineno`` decodes the line
    table on every read.
    """

    def __init__(self, test_file: Optional[str]) -> None:
        self.test_file = test_file
        self.walks = 0  # stack walks done (the cache's misses)
        self._entries: Dict[Tuple[Any, int], Tuple[Any, int, Optional[CallSite]]] = {}

    def lookup(self, start: Any) -> Optional[CallSite]:
        own = start.f_back  # the hook runs in _call_impl's nested ``inner`` (torch >= 2.x)
        if own is None or own.f_code is not _call_impl_code:
            own = _own_call_impl(start)
        caller = own.f_back
        if caller is not None and caller.f_code is _wrapped_call_code:
            caller = caller.f_back
        if caller is None:
            self.walks += 1
            return outermost_call(own, self.test_file)
        key = (caller.f_code, caller.f_lasti)
        entry = self._entries.get(key)
        if entry is not None:
            anchor = entry[0]
            if anchor is caller or (anchor is caller.f_back and entry[1] == anchor.f_lasti):
                return entry[2]
        self.walks += 1
        site = outermost_call(own, self.test_file)
        anchor = caller if self._is_test_function(caller) else caller.f_back
        if anchor is not None and (anchor is caller or self._is_test_function(anchor)) and (
                entry is not None or len(self._entries) < _SITE_CACHE_SIZE):
            self._entries[key] = (anchor, anchor.f_lasti, site)
        return site

    def _is_test_function(self, frame: Any) -> bool:
        """The running test's own frame: in the test's file, called by pytest (or unittest)."""
        if self.test_file is None or frame.f_code.co_filename != self.test_file:
            return False
        up = frame.f_back
        return up is not None and up.f_code.co_filename != self.test_file and file_kind(up.f_code.co_filename) == TOOL

    def clear(self) -> None:
        self._entries = {}


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
