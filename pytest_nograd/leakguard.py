"""The leak guard: global autograd state that tests and fixtures must leave as they found it.

:func:`snapshot` records the state, :func:`restore` compares with an earlier snapshot, puts
every changed piece back and says what changed. :mod:`pytest_nograd.scopes` decides when
to compare (per test body, per test's function-scoped fixtures, per higher-scoped fixture).
"""
from __future__ import annotations

import gc
import warnings
from typing import Any, Dict, List, Tuple

from .torchload import require_torch


def _mode_names(stack: List[Any]) -> Tuple[str, ...]:
    return tuple(type(m).__name__ for m in stack)


def snapshot() -> Dict[str, Any]:
    """The global autograd state that tests are expected to leave as they found it."""
    torch = require_torch("the leak guard")
    from torch.autograd import forward_ad
    from torch.overrides import _get_current_function_mode_stack
    from torch.utils._python_dispatch import _get_current_dispatch_mode_stack

    return {
        "grad_enabled": torch.is_grad_enabled(),
        "inference_mode": torch.is_inference_mode_enabled(),
        "anomaly_detection": torch.is_anomaly_enabled(),
        "anomaly_check_nan": torch.is_anomaly_check_nan_enabled(),
        "forward_grad_enabled": torch._C._is_fwd_grad_enabled(),
        "forward_ad_level": forward_ad._current_level,
        "saved_tensors_hooks": torch._C._autograd._top_saved_tensors_default_hooks(False),
        "torch_function_modes": list(_get_current_function_mode_stack()),
        "torch_dispatch_modes": list(_get_current_dispatch_mode_stack()),
    }


def _show(key: str, value: Any) -> str:
    if key in ("torch_function_modes", "torch_dispatch_modes"):
        return "[" + ", ".join(_mode_names(value)) + "]"
    if key == "saved_tensors_hooks":
        if value is None:
            return "none"
        return "(" + ", ".join(getattr(f, "__qualname__", repr(f)) for f in value) + ")"
    return repr(value)


def _same(key: str, a: Any, b: Any) -> bool:
    if key in ("torch_function_modes", "torch_dispatch_modes"):
        return len(a) == len(b) and all(x is y for x, y in zip(a, b))
    if key == "saved_tensors_hooks":
        if a is None or b is None:
            return a is b
        return all(x is y for x, y in zip(a, b))
    return a == b


def diff(before: Dict[str, Any], after: Dict[str, Any]) -> List[Tuple[str, str, str]]:
    """[(state name, before, after)] for every piece of state that changed."""
    return [(k, _show(k, before[k]), _show(k, after[k])) for k in before if not _same(k, before[k], after[k])]


def _exit_inference_mode_guards() -> None:
    # ``torch.inference_mode().__enter__()`` keeps a C++ guard alive in the context
    # object; only that object's __exit__ really restores the thread-local state.
    torch = require_torch("the leak guard")
    cls = torch.autograd.grad_mode.inference_mode
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        candidates = [o for o in gc.get_objects() if issubclass(type(o), cls)]
    for ctx in reversed(candidates):
        guard = ctx.__dict__.get("_inference_mode_context")
        if guard is not None and torch.is_inference_mode_enabled():
            try:
                ctx.__exit__(None, None, None)
            except Exception:
                pass
            ctx.__dict__["_inference_mode_context"] = None
    if torch.is_inference_mode_enabled():
        # Guard object unreachable from Python: hold an opposite guard open for good.
        guard = torch._C._InferenceMode(False)
        guard.__enter__()
        _held_guards.append(guard)


_held_guards: List[Any] = []


def restore(before: Dict[str, Any]) -> List[Tuple[str, str, str]]:
    """Put back every changed piece of state; return what was changed (see :func:`diff`)."""
    torch = require_torch("the leak guard")
    from torch.autograd import forward_ad
    from torch.utils._python_dispatch import _get_current_dispatch_mode_stack, _pop_mode

    changed = diff(before, snapshot())
    if not changed:
        return changed
    keys = {k for k, _, _ in changed}
    if "torch_dispatch_modes" in keys:
        want = before["torch_dispatch_modes"]
        for _ in range(100):
            stack = _get_current_dispatch_mode_stack()
            if len(stack) <= len(want) and all(x is y for x, y in zip(stack, want)):
                break
            _pop_mode()
    if "torch_function_modes" in keys:
        want = before["torch_function_modes"]
        for _ in range(100):
            if torch._C._len_torch_function_stack() <= len(want):
                break
            torch._C._pop_torch_function_stack()
    if "saved_tensors_hooks" in keys:
        for _ in range(100):
            top = torch._C._autograd._top_saved_tensors_default_hooks(False)
            if _same("saved_tensors_hooks", top, before["saved_tensors_hooks"]) or top is None:
                break
            torch._C._autograd._pop_saved_tensors_default_hooks()
    if "forward_ad_level" in keys:
        for _ in range(100):
            level = forward_ad._current_level
            if level <= before["forward_ad_level"]:
                break
            forward_ad.exit_dual_level(level=level)
    if "inference_mode" in keys and not before["inference_mode"]:
        _exit_inference_mode_guards()
    torch._C._set_grad_enabled(before["grad_enabled"])
    torch._C._set_fwd_grad_enabled(before["forward_grad_enabled"])
    torch.set_anomaly_enabled(before["anomaly_detection"], before["anomaly_check_nan"])
    return changed


def describe_changes(changed: List[Tuple[str, str, str]]) -> str:
    return "; ".join(f"{k}: {b} -> {a}" for k, b, a in changed)
